package dev.flushkata.lesson04;

import dev.flushkata.testkit.ExecutableJarContract;

/** target/lesson-04-timer.jar runs as the README says. */
class ExecutableJarIT extends ExecutableJarContract {
}
