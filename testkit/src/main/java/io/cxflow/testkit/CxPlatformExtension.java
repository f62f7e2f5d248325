package io.cxflow.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension resolving {@link TestPlatform} parameters. The {@link TestCluster} is created once per test JVM
 * (kept in the root store, closed when the JVM's tests are done); every resolution yields a fresh namespace.
 */
public final class CxPlatformExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(CxPlatformExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestPlatform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        TestCluster cluster = cluster(extensionContext);
        String scope = extensionContext.getTestMethod().map(m -> m.getName()).orElseGet(() -> extensionContext
                .getTestClass()
                .map(Class::getSimpleName)
                .orElse("test"));
        return cluster.newPlatform(scope);
    }

    /** The JVM-wide cluster, started on first use. */
    public static TestCluster cluster(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        return store.getOrComputeIfAbsent(TestCluster.class, k -> TestCluster.start(), TestCluster.class);
    }
}
