package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.Work;
import io.pnpoperator.endpoint.protocol.WorkResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One row of the workflow table: when the step runs, what the device is asked, and how its answer is read.
 *
 * @param active  whether the profile switches this step on; inactive steps are passed over
 * @param request the work for the device; empty for a marker step that only records a milestone
 * @param read    how a successful response of the request's service moves the device
 * @param onSend  the step a device enters when the request goes out (the image install, which lasts minutes)
 */
record Rule(Step step, Predicate<Profile> active, Optional<Request> request, Reader read, Optional<Step> onSend) {

    /** Builds the request of a step for one device. */
    @FunctionalInterface
    interface Request {
        Work build(Profile profile, Timings timings, Device device, Links links);
    }

    /** Reads a successful response into an outcome; the outcome's device carries what the device reported. */
    @FunctionalInterface
    interface Reader {
        Outcome read(Reading reading);
    }

    /** A successful response, the device it answers for, and when it arrived. */
    record Reading(Profile profile, WorkResponse response, Device device, Instant now) {
    }
}
