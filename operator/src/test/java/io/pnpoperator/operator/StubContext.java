package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.DefaultManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A reconcile's context without a cluster: the secondary resources a test gives, a real per-reconcile map for what
 * the reconciler hands its dependents, and a client of no API server (a dependent's desired state needs its
 * serialization; anything that would call an API server fails the test).
 */
final class StubContext<P extends HasMetadata> implements Context<P> {

    private static final KubernetesClient NO_SERVER = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
            Config.empty()).withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build();

    private final P primary;
    private final Map<Class<?>, List<?>> secondaries;
    private final ManagedWorkflowAndDependentResourceContext perReconcile;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    StubContext(P primary, Map<Class<?>, List<?>> secondaries) {
        this.primary = primary;
        this.secondaries = secondaries;
        this.perReconcile = new DefaultManagedWorkflowAndDependentResourceContext<>(null, primary, this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> Set<R> getSecondaryResources(Class<R> type) {
        return Set.copyOf((List<R>) secondaries.getOrDefault(type, List.of()));
    }

    @Override
    public <R> Optional<R> getSecondaryResource(Class<R> type, String eventSourceName) {
        return getSecondaryResources(type).stream().findFirst();
    }

    @Override
    public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
        return perReconcile;
    }

    /** A client of no API server: its serialization works, any call fails. */
    @Override
    public KubernetesClient getClient() {
        return NO_SERVER;
    }

    @Override
    public ExecutorService getWorkflowExecutorService() {
        return executor;
    }

    @Override
    public P getPrimaryResource() {
        return primary;
    }

    @Override
    public Optional<RetryInfo> getRetryInfo() {
        return Optional.empty();
    }

    @Override
    public ControllerConfiguration<P> getControllerConfiguration() {
        throw new UnsupportedOperationException("not in a unit test");
    }

    @Override
    public EventSourceRetriever<P> eventSourceRetriever() {
        throw new UnsupportedOperationException("not in a unit test");
    }

    @Override
    public IndexedResourceCache<P> getPrimaryCache() {
        throw new UnsupportedOperationException("not in a unit test");
    }

    @Override
    public boolean isNextReconciliationImminent() {
        return false;
    }

    @Override
    public boolean isPrimaryResourceDeleted() {
        return false;
    }

    @Override
    public boolean isPrimaryResourceFinalStateUnknown() {
        return false;
    }

}
