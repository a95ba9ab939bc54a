package io.pnpoperator.endpoint.kubernetes;

import io.pnpoperator.testcluster.AuditLog;
import io.pnpoperator.testcluster.ControlPlane;

/**
 * The API server's audit log, counted by kind of call: what a provisioned device costs the cluster
 * ({@code statusBytes}: the bodies of the status writes, in bytes; {@code events}: Event writes, the first of a
 * reason a create, its repeats a patch; {@code conflicts}: status writes refused because another wrote first — 409,
 * or 422 for a JSON Patch whose test of the resourceVersion failed; {@code eventReads}: Events read back).
 */
record ApiCalls(int statusWrites, long statusBytes, int conflicts, int creates, int events, int eventReads, int gets,
        int lists, int other) {

    /** The calls made in {@code namespace} since the audit log's {@code mark}. */
    static ApiCalls since(ControlPlane cluster, long mark, String namespace) {
        int statusWrites = 0;
        long statusBytes = 0;
        int conflicts = 0;
        int creates = 0;
        int events = 0;
        int eventReads = 0;
        int gets = 0;
        int lists = 0;
        int other = 0;
        for (AuditLog.Call call : cluster.auditLog().since(mark, c -> namespace.equals(c.namespace()), cluster)) {
            boolean write = call.verb().equals("update") || call.verb().equals("patch");
            if (write && call.target().equals("pnpdevices/status")) {
                statusWrites++;
                statusBytes += call.requestBytes();
                conflicts += call.code() == 409 || call.code() == 422 ? 1 : 0;
            } else if (call.resource().equals("events") && (call.verb().equals("create") || write)) {
                events++;
            } else if (call.resource().equals("events")) {
                eventReads++;
            } else if (call.verb().equals("create")) {
                creates++;
            } else if (call.verb().equals("get") && call.target().equals("pnpdevices")) {
                gets++;
            } else if (call.verb().equals("get") || call.verb().equals("list")) {
                lists++;
            } else if (!call.verb().equals("watch")) {
                other++;
            }
        }
        return new ApiCalls(statusWrites, statusBytes, conflicts, creates, events, eventReads, gets, lists, other);
    }
}
