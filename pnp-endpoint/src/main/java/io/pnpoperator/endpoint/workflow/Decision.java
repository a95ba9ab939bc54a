package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.ServerMessage;

/** The result of one device message: the change to store first, then the answer to send. */
public record Decision(Change change, ServerMessage answer) {
}
