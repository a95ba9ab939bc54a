package io.pnpoperator.endpoint.workflow;

/** The coarse view of a device, for lists, alerts and the {@code pnp_devices{phase}} gauge. */
public enum Phase {
    /** Known, but no usable profile yet (not found, not ready) or paused: {@code lastError} says why. */
    PENDING("Pending"),
    PROVISIONING("Provisioning"),
    BLOCKED("Blocked"),
    FAILED("Failed"),
    PROVISIONED("Provisioned"),
    /** Waiting for a person's decision: a provisioned device came back in factory state ({@code lastError}). */
    HELD("Held"),
    /** Seen, but unknown devices are not provisioned here until a person assigns a profile. */
    UNCLAIMED("Unclaimed");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    /** As users see it, e.g. {@code Provisioning}. */
    public String label() {
        return label;
    }

    public static Phase fromLabel(String label) {
        for (Phase phase : values()) {
            if (phase.label.equals(label)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("unknown phase '" + label + "'");
    }

    /** The phase a step implies when nothing has failed. */
    public static Phase of(Step step) {
        return switch (step) {
            case BOOTFLASH_NO_SPACE -> BLOCKED;
            case FINISHED -> PROVISIONED;
            default -> PROVISIONING;
        };
    }
}
