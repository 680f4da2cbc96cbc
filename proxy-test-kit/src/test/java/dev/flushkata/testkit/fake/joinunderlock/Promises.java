package dev.flushkata.testkit.fake.joinunderlock;

import dev.flushkata.testkit.WriterPromisesContract;
import org.junit.jupiter.api.Tag;

/** The writer's promises on this fake lesson: run by WriterPromisesContractTest and ExerciseTest only. */
@Tag("exercise")
public class Promises extends WriterPromisesContract {

    @Override
    protected String lessonPackage() {
        return getClass().getPackageName();
    }
}
