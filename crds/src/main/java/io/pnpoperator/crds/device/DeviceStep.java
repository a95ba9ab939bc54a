package io.pnpoperator.crds.device;

/**
 * The workflow's steps, with the old Flask server's names, as {@code status.step} accepts them: a status
 * edit to any other value is refused by the API server. The endpoint's workflow has the same names.
 */
public enum DeviceStep {
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
    FINISHED
}
