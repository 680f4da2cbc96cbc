package dev.flushkata.lesson04;

import dev.flushkata.testkit.ExecutableJarContract;

/** target/lesson-04-timer.jar runs as the README says, and takes a negative flush interval. */
class ExecutableJarIT extends ExecutableJarContract {

    @Override
    protected boolean acceptsNegativeFlushInterval() {
        return true;
    }
}
