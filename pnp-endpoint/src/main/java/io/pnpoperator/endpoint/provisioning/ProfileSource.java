package io.pnpoperator.endpoint.provisioning;

import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Profile;

/** Which profile provisions a device, or why none does yet. */
public interface ProfileSource {

    Assignment assign(String serial);

    /** The outcome of looking up a device's profile. */
    sealed interface Assignment permits Assigned, Held {
    }

    /** The device is provisioned with this profile. */
    record Assigned(Profile profile) implements Assignment {
    }

    /** The device waits, for this reason (no profile yet, profile not ready, paused, ...), in this phase. */
    record Held(String reason, Phase phase) implements Assignment {
    }
}
