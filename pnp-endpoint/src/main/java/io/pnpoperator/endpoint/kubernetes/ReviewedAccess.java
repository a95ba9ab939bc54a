package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pnpoperator.crds.PnpApi;
import io.pnpoperator.endpoint.web.AdminGate;
import io.pnpoperator.toolkit.text.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API in a cluster answers to Kubernetes: the caller's bearer token is checked by the API server
 * ({@code TokenReview}), and what it may do by its RBAC ({@code SubjectAccessReview}) against the same verbs as
 * the PnpDevice resources — {@code list} and {@code get} pnpdevices to read, {@code patch} pnpdevices/status to
 * move a device, exactly what {@code kubectl patch … --subresource=status} would need. So the audit log and RBAC
 * decide who moves a device, not whoever can reach the pod. Verdicts are kept a minute per token and request.
 */
public final class ReviewedAccess implements AdminGate {

    private static final Duration KEPT = Duration.ofMinutes(1);
    private static final Pattern ONE_DEVICE = Pattern.compile("/api/devices/([^/]+)(/step)?");

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;
    private final Map<String, Kept> verdicts = new ConcurrentHashMap<>();

    private record Kept(Verdict verdict, Instant until) {
    }

    /** What a request asks to do, as RBAC words it. */
    private record Asked(String verb, String subresource, String name) {
    }

    public ReviewedAccess(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    @Override
    public Verdict decide(Optional<String> authorization, String method, String path) {
        Optional<String> token = authorization.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim()).filter(t -> !t.isEmpty());
        if (token.isEmpty()) {
            return Verdict.unknown("the admin API needs a Kubernetes bearer token (kubectl create token <account>)");
        }
        Asked asked = asked(method, path);
        String key = Sha256.hex(token.get()) + " " + asked;
        Instant now = clock.instant();
        Kept kept = verdicts.get(key);
        if (kept != null && kept.until().isAfter(now)) {
            return kept.verdict();
        }
        Verdict verdict = review(token.get(), asked);
        if (verdicts.size() > 10_000) {
            verdicts.values().removeIf(k -> !k.until().isAfter(now));
        }
        verdicts.put(key, new Kept(verdict, now.plus(KEPT)));
        return verdict;
    }

    private Verdict review(String token, Asked asked) {
        try {
            TokenReview who = client.resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build())
                    .create();
            if (who.getStatus() == null || !Boolean.TRUE.equals(who.getStatus().getAuthenticated())) {
                return Verdict.unknown("the API server does not know this token");
            }
            UserInfo user = who.getStatus().getUser();
            SubjectAccessReview may = client.resource(new SubjectAccessReviewBuilder().withNewSpec()
                    .withUser(user.getUsername()).withUid(user.getUid()).withGroups(user.getGroups())
                    .withExtra(user.getExtra()).withNewResourceAttributes().withNamespace(namespace)
                    .withGroup(PnpApi.GROUP).withResource("pnpdevices").withSubresource(asked.subresource())
                    .withVerb(asked.verb()).withName(asked.name()).endResourceAttributes().endSpec().build()).create();
            if (may.getStatus() != null && Boolean.TRUE.equals(may.getStatus().getAllowed())) {
                return Verdict.allowed(user.getUsername());
            }
            return Verdict.forbidden(user.getUsername() + " may not " + asked.verb() + " pnpdevices"
                    + (asked.subresource() == null ? "" : "/" + asked.subresource())
                    + (asked.name() == null ? "" : " " + asked.name()) + " in namespace " + namespace);
        } catch (KubernetesClientException e) {
            return Verdict.unknown("the API server could not review the token now (HTTP " + e.getCode() + ")");
        }
    }

    private static Asked asked(String method, String path) {
        Matcher one = ONE_DEVICE.matcher(path);
        if (!one.matches()) {
            return new Asked("list", null, null);
        }
        String name = KubernetesDeviceStore.nameOf(one.group(1));
        return one.group(2) != null || !method.equals("GET") ? new Asked("patch", "status", name)
                : new Asked("get", null, name);
    }
}
