package dev.flushkata.lesson01;

import dev.flushkata.testkit.ExecutableJarContract;

/** target/lesson-01-leaky.jar runs as the README says. */
class ExecutableJarIT extends ExecutableJarContract {
}
