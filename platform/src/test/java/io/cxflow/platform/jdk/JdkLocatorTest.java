package io.cxflow.platform.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkLocatorTest {

    @TempDir
    Path dir;

    @Test
    void shouldPickTheNewestQualifyingJdkInTheStandardFoldersWhenJavaHomeAndTheRunningJvmAreTooOld()
            throws IOException {
        // Given
        Path jvm = dir.resolve("usr-lib-jvm");
        fakeJdk(jvm.resolve("java-17"), "17.0.15");
        fakeJdk(jvm.resolve("temurin-21"), "21.0.8");
        Path newest = fakeJdk(jvm.resolve("temurin-25"), "25.0.3");
        fakeJdk(jvm.resolve("temurin-24"), "24.0.1");
        Path oldHome = fakeJdk(dir.resolve("old"), "11.0.2");

        JdkLocator locator =
                new JdkLocator(oldHome.toString(), oldHome, 11, List.of(new JdkLocator.SearchRoot(jvm, "")));

        // When
        Optional<Path> found = locator.search(21).found();

        // Then
        assertThat(found).contains(newest);
    }

    @Test
    void shouldPreferJavaHomeWhenItIsNewEnoughEvenIfANewerJdkIsInstalled() throws IOException {
        Path jvm = dir.resolve("jvm");
        fakeJdk(jvm.resolve("temurin-25"), "25.0.3");
        Path javaHome = fakeJdk(dir.resolve("chosen"), "21.0.2");

        JdkLocator locator = new JdkLocator(javaHome.toString(), null, 0, List.of(new JdkLocator.SearchRoot(jvm, "")));

        assertThat(locator.search(21).found()).contains(javaHome);
    }

    @Test
    void shouldUseTheRunningJvmWhenJavaHomeIsUnsetAndTheRunningJvmIsNewEnough() throws IOException {
        Path running = fakeJdk(dir.resolve("running"), "22.0.1");
        Path jvm = dir.resolve("jvm");
        fakeJdk(jvm.resolve("temurin-25"), "25.0.3");

        JdkLocator locator = new JdkLocator(null, running, 22, List.of(new JdkLocator.SearchRoot(jvm, "")));

        assertThat(locator.search(21).found()).contains(running);
    }

    @Test
    void shouldFindMacOsStyleHomesUnderContentsHome() throws IOException {
        Path vms = dir.resolve("JavaVirtualMachines");
        Path home = fakeJdk(vms.resolve("temurin-21.jdk/Contents/Home"), "21.0.5");

        JdkLocator locator = new JdkLocator(null, null, 0, List.of(new JdkLocator.SearchRoot(vms, "Contents/Home")));

        assertThat(locator.search(21).found()).contains(home);
    }

    @Test
    void shouldSkipFoldersWithoutAnExecutableJavaOrWithoutAReleaseFile() throws IOException {
        Path jvm = dir.resolve("jvm");
        Path noLauncher = jvm.resolve("no-launcher");
        Files.createDirectories(noLauncher);
        Files.writeString(noLauncher.resolve("release"), "JAVA_VERSION=\"25\"\n");
        Path noRelease = jvm.resolve("no-release");
        Files.createDirectories(noRelease.resolve("bin"));
        executable(noRelease.resolve("bin/java"));

        JdkLocator locator = new JdkLocator(null, null, 0, List.of(new JdkLocator.SearchRoot(jvm, "")));

        assertThat(locator.search(21).found()).isEmpty();
    }

    @Test
    void shouldListEveryPlaceLookedAtWhenNoJdkQualifies() throws IOException {
        Path jvm = dir.resolve("jvm");
        Path old = fakeJdk(jvm.resolve("java-17"), "17.0.15");
        Path missing = dir.resolve("nowhere");
        Path running = dir.resolve("running");

        JdkLocator locator = new JdkLocator(
                null, running, 17, List.of(new JdkLocator.SearchRoot(jvm, ""), new JdkLocator.SearchRoot(missing, "")));

        assertThatThrownBy(() -> locator.searchOrThrow(21, "to run the schema registry"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No Java 21 or newer found (needed to run the schema registry)")
                .hasMessageContaining("JAVA_HOME (not set)")
                .hasMessageContaining("the running JVM " + running + " (Java 17)")
                .hasMessageContaining(old + " (Java 17.0.15)")
                .hasMessageContaining(missing + "/* (nothing there)")
                .hasMessageContaining("set JAVA_HOME");
    }

    @Test
    void shouldReportAJavaHomeThatIsTooOldAndFallBackToTheFolders() throws IOException {
        Path javaHome = fakeJdk(dir.resolve("old"), "1.8.0_392");
        Path jvm = dir.resolve("jvm");
        Path good = fakeJdk(jvm.resolve("temurin-21"), "21.0.1");

        JdkLocator locator = new JdkLocator(javaHome.toString(), null, 0, List.of(new JdkLocator.SearchRoot(jvm, "")));

        JdkLocator.Search search = locator.search(21);
        assertThat(search.found()).contains(good);
        assertThat(search.lookedAt()).contains("JAVA_HOME=" + javaHome + " (Java 8.0.392)");
    }

    @Test
    void shouldCountASymlinkedJdkOnce() throws IOException {
        Path jvm = dir.resolve("jvm");
        Path real = fakeJdk(jvm.resolve("java-21-openjdk"), "21.0.4");
        Files.createSymbolicLink(jvm.resolve("java-1.21.0-openjdk"), real.getFileName());

        JdkLocator locator = new JdkLocator(null, null, 0, List.of(new JdkLocator.SearchRoot(jvm, "")));

        JdkLocator.Search search = locator.search(21);
        assertThat(search.lookedAt()).filteredOn(s -> s.contains("Java 21.0.4")).hasSize(1);
        assertThat(search.found()).isPresent();
    }

    @Test
    void shouldParseModernLegacyAndEarlyAccessVersionStrings() {
        assertThat(JdkLocator.parseVersion("21.0.2")).contains(List.of(21, 0, 2));
        assertThat(JdkLocator.parseVersion("1.8.0_392")).contains(List.of(8, 0, 392));
        assertThat(JdkLocator.parseVersion("26-ea")).contains(List.of(26));
        assertThat(JdkLocator.parseVersion("25")).contains(List.of(25));
        assertThat(JdkLocator.parseVersion("unknown")).isEmpty();
    }

    @Test
    void shouldReadTheMajorVersionOfTheRunningJdk() {
        Path running = Path.of(System.getProperty("java.home"));

        assertThat(JdkLocator.majorVersion(running)).contains(Runtime.version().feature());
    }

    private static Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        executable(home.resolve("bin/java"));
        Files.writeString(
                home.resolve("release"),
                "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"" + version + "+7\"\nJAVA_VERSION=\"" + version
                        + "\"\nJAVA_VERSION_DATE=\"2026-01-20\"\n");
        return home;
    }

    private static void executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
