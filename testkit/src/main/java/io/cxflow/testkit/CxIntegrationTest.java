package io.cxflow.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a real Kafka broker and schema registry. Test methods (and constructors) may
 * declare a {@link TestPlatform} parameter: each test gets its own topic prefix and ids, while the broker and
 * the registry are shared by the whole test JVM.
 *
 * <p>Where they come from ({@code CX_TEST_KAFKA} / {@code CX_TEST_BOOTSTRAP}): see {@link TestCluster}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(CxPlatformExtension.class)
public @interface CxIntegrationTest {}
