package io.pnpoperator.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * Access reviews answered as for a cluster-admin: a {@code SelfSubjectRulesReview} (what the operator's leader
 * election asks first) lists every verb on every resource, any {@code *AccessReview} is allowed. Tests that need a
 * refusal tell the server so with {@code server.expect()}.
 */
final class AccessReviews {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AccessReviews() {
    }

    static MockResponse allowEverything(String body) {
        ObjectNode review;
        try {
            review = (ObjectNode) JSON.readTree(body);
        } catch (JsonProcessingException | ClassCastException e) {
            return Refusals.badRequest("the body of the request could not be decoded");
        }
        ObjectNode status = review.putObject("status");
        if ("SelfSubjectRulesReview".equals(review.path("kind").asText())) {
            ObjectNode rule = status.putArray("resourceRules").addObject();
            rule.putArray("verbs").add("*");
            rule.putArray("apiGroups").add("*");
            rule.putArray("resources").add("*");
            status.putArray("nonResourceRules");
            status.put("incomplete", false);
        } else {
            status.put("allowed", true);
        }
        return Refusals.json(201, review);
    }
}
