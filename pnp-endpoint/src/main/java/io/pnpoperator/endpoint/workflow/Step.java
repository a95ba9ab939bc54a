package io.pnpoperator.endpoint.workflow;

/**
 * Where a device is in the ISR1k workflow. The names are those of the old Flask server, so its users
 * recognise them in the dashboard and can move a device by name (the two {@code _VERIFY} steps are new:
 * the copies' MD5 checked on the router); the order is the workflow's order.
 */
public enum Step {
    NEW_DEVICE,
    CONFIG_REG,
    CHECK_IMAGE_VER,
    UPGRADE_NEEDED,
    UPGRADE_INPROGRESS,
    UPGRADE_RELOAD_NEEDED,
    UPGRADE_RELOADING,
    UPGRADE_DONE,
    GS_TARBALL_TRANSFER,
    GS_TARBALL_VERIFY,
    PY_SCRIPT_TRANSFER,
    PY_SCRIPT_VERIFY,
    CONFIG_START,
    CONFIG_SAVE_STARTUP,
    CHECK_BOOTFLASH_SIZE,
    BOOTFLASH_NO_SPACE,
    RUN_EVENT_MANAGER,
    WAIT_FOR_GUESTSHELL,
    CHECK_GUESTSHELL,
    ENABLE_GUESTSHELL,
    INSTALL_GUESTSHELL,
    RUN_PY_SCRIPT,
    FINISHED;

    /** The step after this one in workflow order; FINISHED is last. */
    public Step following() {
        return this == FINISHED ? FINISHED : values()[ordinal() + 1];
    }
}
