package dev.flushkata.lesson01;

import dev.flushkata.testkit.WriterPromisesContract;
import org.junit.jupiter.api.Tag;

/**
 * The exercise: the writer's own promises (stop() returns, and waits for a flush under way; writes and
 * flushes never overlap), each made to happen on purpose, on whatever this lesson's writer has become.
 * lesson-01's writer keeps them already (its handler never calls stop()); a fix must not break them.
 */
@Tag("exercise")
class StopKeepsItsPromiseTest extends WriterPromisesContract {

    @Override
    protected String lessonPackage() {
        return "dev.flushkata.lesson01";
    }
}
