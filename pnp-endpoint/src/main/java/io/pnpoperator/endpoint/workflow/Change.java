package io.pnpoperator.endpoint.workflow;

import java.util.List;

/** A device's new state and the transitions that led to it: what a store writes in one transaction. */
public record Change(Device device, List<Transition> transitions) {
}
