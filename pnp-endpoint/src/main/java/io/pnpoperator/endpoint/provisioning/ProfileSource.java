package io.pnpoperator.endpoint.provisioning;

import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Profile;
import java.util.Optional;

/** Which profile provisions a device, or why none does yet. */
public interface ProfileSource {

    /** The profile of the router of this serial, whose UDI names this PID (empty when it names none). */
    Assignment assign(String serial, String pid);

    /** The outcome of looking up a device's profile. */
    sealed interface Assignment permits Assigned, Held {
    }

    /** The device is provisioned with this profile. */
    record Assigned(Profile profile) implements Assignment {
    }

    /**
     * The device waits, for this reason (no profile yet, profile not ready, paused, ...), in this phase.
     *
     * @param briefly the reason passes by itself in moments (a replaced file being measured): the device comes
     *                back after the retry backoff instead of the long one
     * @param profile the device's profile when only new work is held (a file of it is missing or being measured):
     *                the answer to work already sent is still read with it, so no work is done twice
     */
    record Held(String reason, Phase phase, boolean briefly, Optional<Profile> profile) implements Assignment {

        public Held(String reason, Phase phase) {
            this(reason, phase, false, Optional.empty());
        }
    }
}
