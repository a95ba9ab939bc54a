package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.WorkResponse;
import io.pnpoperator.endpoint.protocol.Work;
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

    /** Reads a successful response; may record what the device reported on the builder. */
    @FunctionalInterface
    interface Reader {
        Outcome read(Profile profile, WorkResponse response, Device.Builder device);
    }
}
