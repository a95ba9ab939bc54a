package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.TimeUnit;

/**
 * The API server's request log, counted by kind of call: what a provisioned device costs the cluster
 * ({@code statusBytes}: the bodies of the status writes, in bytes; {@code events}: Event writes, the first of a reason a create, its repeats a patch).
 */
record ApiCalls(int statusWrites, long statusBytes, int creates, int events, int gets, int lists, int watches, int other) {

    /** Drains the test API server's request log from request number {@code from} on. */
    static ApiCalls since(KubernetesMockServer server, int from) throws InterruptedException {
        int statusWrites = 0;
        long statusBytes = 0;
        int creates = 0;
        int events = 0;
        int gets = 0;
        int lists = 0;
        int watches = 0;
        int other = 0;
        int total = server.getRequestCount();
        for (int i = 0; i < total; i++) {
            RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
            if (request == null) {
                break;
            }
            if (i < from) {
                continue;
            }
            String path = request.getPath();
            String method = request.getMethod();
            if (path.contains("watch=true")) {
                watches++;
            } else if ((method.equals("PUT") || method.equals("PATCH")) && path.contains("/pnpdevices/")
                    && path.contains("/status")) {
                statusWrites++;
                statusBytes += request.getBody().size();
            } else if ((method.equals("POST") || method.equals("PATCH")) && path.contains("/events")) {
                events++;
            } else if (method.equals("POST")) {
                creates++;
            } else if (method.equals("GET") && path.matches(".*/pnpdevices/[^/?]+(\\?.*)?")) {
                gets++;
            } else if (method.equals("GET")) {
                lists++;
            } else {
                other++;
            }
        }
        return new ApiCalls(statusWrites, statusBytes, creates, events, gets, lists, watches, other);
    }
}
