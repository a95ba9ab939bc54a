package io.pnpoperator.endpoint.protocol;

/** What a device sends: a request for work, or the result of the work it was given. */
public sealed interface DeviceMessage permits WorkRequest, WorkResponse {

    Udi udi();
}
