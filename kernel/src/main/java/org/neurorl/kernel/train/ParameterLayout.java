package org.neurorl.kernel.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the named tensors of a network sit in one flat float32 parameter vector. One flat vector lets the
 * optimizer, gradient clipping, checkpoints and the {@code .npy} + JSON export treat every network alike;
 * the layout names each tensor (row-major, C order) so other tools can cut the vector back into tensors.
 *
 * @param tensors the tensors in storage order; offsets are contiguous from 0
 */
public record ParameterLayout(List<Tensor> tensors) {

  /** One named tensor: {@code shape} row-major, stored at {@code [offset, offset + size)}. */
  public record Tensor(String name, int[] shape, int offset, int size) {
    public Tensor {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("tensor name must be non-empty");
      }
      shape = shape.clone();
      long n = 1;
      for (int d : shape) {
        if (d < 1) {
          throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape)
              + " has a dimension < 1");
        }
        n *= d;
      }
      if (n != size) {
        throw new IllegalArgumentException("tensor " + name + ": size " + size + " is not the product of shape "
            + Arrays.toString(shape));
      }
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor t && t.name.equals(name) && Arrays.equals(t.shape, shape) && t.offset == offset;
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return name + Arrays.toString(shape) + "@" + offset;
    }
  }

  public ParameterLayout {
    tensors = List.copyOf(tensors);
    int expected = 0;
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (Tensor t : tensors) {
      if (t.offset() != expected) {
        throw new IllegalArgumentException("tensor " + t.name() + " at offset " + t.offset() + ", expected "
            + expected + " (tensors must be contiguous in order)");
      }
      if (seen.put(t.name(), Boolean.TRUE) != null) {
        throw new IllegalArgumentException("tensor name " + t.name() + " appears twice");
      }
      expected = Math.addExact(expected, t.size());
    }
  }

  /** Builds a layout from (name, shape) pairs in order. */
  public static Builder builder() {
    return new Builder();
  }

  /** Total number of parameters. */
  public int size() {
    return tensors.isEmpty() ? 0 : tensors.get(tensors.size() - 1).offset() + tensors.get(tensors.size() - 1).size();
  }

  /** The tensor called {@code name}. */
  public Tensor tensor(String name) {
    for (Tensor t : tensors) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("no tensor named '" + name + "'; tensors are " + names());
  }

  /** The names in storage order. */
  public List<String> names() {
    List<String> names = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) {
      names.add(t.name());
    }
    return names;
  }

  /** The tensor holding flat index {@code index}: names the parameter group in error messages. */
  public Tensor tensorAt(int index) {
    for (Tensor t : tensors) {
      if (index >= t.offset() && index < t.offset() + t.size()) {
        return t;
      }
    }
    throw new IndexOutOfBoundsException("index " + index + " outside parameter vector of size " + size());
  }

  /** Appends tensors in order. */
  public static final class Builder {
    private final List<Tensor> tensors = new ArrayList<>();
    private int offset;

    public Builder add(String name, int... shape) {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      if (n > Integer.MAX_VALUE - offset) {
        throw new IllegalArgumentException("tensor " + name + " " + Arrays.toString(shape)
            + " makes the parameter vector longer than an int can index");
      }
      tensors.add(new Tensor(name, shape, offset, (int) n));
      offset += (int) n;
      return this;
    }

    public ParameterLayout build() {
      return new ParameterLayout(tensors);
    }
  }
}
