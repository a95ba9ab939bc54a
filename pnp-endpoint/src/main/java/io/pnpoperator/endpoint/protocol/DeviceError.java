package io.pnpoperator.endpoint.protocol;

/** A device's failure report: {@code errorInfo} of a service response, or the parts of a {@code fault}. */
public record DeviceError(String severity, String code, String message) {

    public String describe() {
        StringBuilder text = new StringBuilder();
        if (!code.isEmpty()) {
            text.append(code).append(": ");
        }
        return text.append(message.isEmpty() ? "no message" : message).toString();
    }
}
