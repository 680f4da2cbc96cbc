package dev.flushkata.lesson03;

import dev.flushkata.testkit.ExecutableJarContract;

/** target/lesson-03-refactor-testable.jar runs as the README says. */
class ExecutableJarIT extends ExecutableJarContract {
}
