package io.dynamicrag.processing.index;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LanceScansTest {

    /** Far more rows than a freshly allocated vector holds: the copy must grow the buffers as setSafe did. */
    @Test
    void vectorsAreStoredWholeAndValidInRowsBeyondTheFirstAllocation() {
        int dimensions = 384;
        int rows = 5_000;
        Random random = new Random(7);
        float[][] written = new float[rows][dimensions];
        try (BufferAllocator allocator = new RootAllocator();
             FixedSizeListVector column = FixedSizeListVector.empty("vector", dimensions, allocator)) {
            column.addOrGetVector(FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
            column.allocateNew();
            assertThat(column.getDataVector().getValueCapacity()).as("precondition: the buffers must grow")
                    .isLessThan(rows * dimensions);
            for (int row = 0; row < rows; row++) {
                for (int i = 0; i < dimensions; i++) {
                    written[row][i] = random.nextFloat() * 2 - 1;
                }
                LanceScans.setVector(column, row, written[row]);
            }
            column.setValueCount(rows);

            assertThat(column.getDataVector().getNullCount()).isZero();
            for (int row = 0; row < rows; row++) {
                List<?> read = column.getObject(row);
                float[] values = new float[read.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (Float) read.get(i);
                }
                assertThat(values).as("row %d", row).containsExactly(written[row]);
            }
        }
    }
}
