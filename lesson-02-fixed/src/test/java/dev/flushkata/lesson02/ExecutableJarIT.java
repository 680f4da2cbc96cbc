package dev.flushkata.lesson02;

import dev.flushkata.testkit.ExecutableJarContract;

/** target/lesson-02-fixed.jar runs as the README says. */
class ExecutableJarIT extends ExecutableJarContract {
}
