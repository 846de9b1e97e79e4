package org.neurorl.fit;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Choices in CSV: a header line, then one row per trial.
 *
 * <p>Columns (names matched without regard to case or surrounding spaces; other columns are ignored):
 * <ul>
 *   <li>{@code subject} (optional): any non-empty text; one fit per subject, subjects in the order of
 *       their first row. Without the column, the whole file is one subject named after the file.</li>
 *   <li>{@code session} (optional): any non-empty text; the learner's values restart at each session.
 *       A subject's sessions are ordered by their first row; rows of one session keep file order.</li>
 *   <li>{@code cue} (optional): integer ≥ 0, the stimulus the values are conditioned on (0 if absent).</li>
 *   <li>{@code action}: the choice, an integer from 0 to A − 1 (A given, or the largest action + 1).</li>
 *   <li>{@code reward}: a finite number.</li>
 * </ul>
 * Every problem is an {@link IllegalArgumentException} naming the file, the line, the column, the
 * value found and what is allowed.
 */
public final class ChoiceCsv {
  public static final String SUBJECT = "subject";
  public static final String SESSION = "session";
  public static final String CUE = "cue";
  public static final String ACTION = "action";
  public static final String REWARD = "reward";
  private static final String EXPECTED = "a header line with columns action, reward (optionally subject, "
      + "session, cue) and at least one row below it";

  private ChoiceCsv() {}

  /**
   * Reads every subject of {@code file}.
   *
   * @param actions A, the number of actions of the task, 2 to {@value ChoiceData#MAX_ACTIONS}; or 0 to
   *     take the largest action in the file + 1 (at least 2)
   */
  public static List<ChoiceData> read(Path file, int actions) throws IOException {
    if (actions != 0 && (actions < 2 || actions > ChoiceData.MAX_ACTIONS)) {
      throw new IllegalArgumentException("actions = " + actions + "; allowed: 0 (from the file) or 2 to "
          + ChoiceData.MAX_ACTIONS);
    }
    String name = file.toString();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(name + ": no such readable file; allowed: a readable CSV file with " + EXPECTED);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(name + ": not UTF-8 text; allowed: a UTF-8 (or ASCII) CSV file", e);
    }
    if (text.isBlank()) {
      throw new IllegalArgumentException(name + ": the file is empty; allowed: " + EXPECTED);
    }
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
        .setIgnoreHeaderCase(true).setIgnoreEmptyLines(true).setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
        .build();
    Map<String, Map<String, Rows>> subjects = new LinkedHashMap<>();
    int maxAction = -1, maxCue = -1;
    CSVParser opened;
    try {
      opened = CSVParser.parse(new StringReader(text), format);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": line 1 (header) cannot be read (" + e.getMessage()
          + "); allowed: " + EXPECTED + ", with distinct column names", e);
    }
    try (CSVParser parser = opened) {
      List<String> header = parser.getHeaderNames().stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList();
      for (String required : List.of(ACTION, REWARD)) {
        if (!header.contains(required)) {
          throw new IllegalArgumentException(name + ": line 1 (header) has no column " + required + "; allowed: "
              + EXPECTED + " (found: " + String.join(", ", parser.getHeaderNames()) + ")");
        }
      }
      boolean hasSubject = header.contains(SUBJECT), hasSession = header.contains(SESSION), hasCue = header.contains(CUE);
      String defaultSubject = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
      Iterator<CSVRecord> it = parser.iterator();
      while (true) {
        CSVRecord row;
        try {
          if (!it.hasNext()) {
            break;
          }
          row = it.next();
        } catch (UncheckedIOException | IllegalStateException e) {
          // Commons CSV names the line where the broken record starts ("(startline N) ...").
          throw new IllegalArgumentException(name + ": not valid CSV (" + e.getMessage() + "); allowed: " + EXPECTED
              + ", quotes closed", e);
        }
        int line = lineOf(text, row.getCharacterPosition());
        if (!row.isConsistent()) {
          throw new IllegalArgumentException(name + ": line " + line + " has " + row.size() + " values; allowed: "
              + header.size() + ", one per header column (" + String.join(", ", parser.getHeaderNames()) + ")");
        }
        String subject = hasSubject ? text(name, line, row, SUBJECT) : defaultSubject;
        String session = hasSession ? text(name, line, row, SESSION) : "";
        int cue = hasCue ? integer(name, line, row, CUE, ChoiceData.MAX_CUES, "a cue") : 0;
        int action = integer(name, line, row, ACTION, actions == 0 ? ChoiceData.MAX_ACTIONS : actions, "a 0-based action");
        double reward = number(name, line, row, REWARD);
        maxAction = Math.max(maxAction, action);
        maxCue = Math.max(maxCue, cue);
        subjects.computeIfAbsent(subject, s -> new LinkedHashMap<>()).computeIfAbsent(session, s -> new Rows())
            .add(cue, action, reward);
      }
    }
    if (subjects.isEmpty()) {
      throw new IllegalArgumentException(name + ": no rows after the header (line 1); allowed: " + EXPECTED);
    }
    int aa = actions != 0 ? actions : Math.max(2, maxAction + 1);
    List<ChoiceData> out = new ArrayList<>(subjects.size());
    for (Map.Entry<String, Map<String, Rows>> s : subjects.entrySet()) {
      out.add(Rows.join(s.getKey(), aa, maxCue + 1, s.getValue().values()));
    }
    return out;
  }

  /**
   * Writes subjects as CSV with columns subject, session (numbered from 1 per subject), cue, action,
   * reward; rewards in shortest round-trip form, so {@link #read} gives the same data back.
   */
  public static void write(Path file, List<ChoiceData> subjects) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
          CSVPrinter printer = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
              .setHeader(SUBJECT, SESSION, CUE, ACTION, REWARD).build())) {
        for (ChoiceData d : subjects) {
          int[] starts = d.sessionStarts();
          for (int k = 0, t = 0; k < starts.length; k++) {
            int end = k + 1 < starts.length ? starts[k + 1] : d.trials();
            for (; t < end; t++) {
              printer.printRecord(d.subject(), k + 1, d.cue[t], d.action[t], Double.toString(d.reward[t]));
            }
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** 1-based line where a record starts: the count of line breaks before it, plus one. */
  private static int lineOf(String text, long position) {
    // A record's position is where the parser started reading it, before any blank lines it skipped.
    int end = (int) Math.min(position, text.length());
    while (end < text.length() && (text.charAt(end) == '\n' || text.charAt(end) == '\r')) {
      end++;
    }
    int line = 1;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
      }
    }
    return line;
  }

  private static String text(String file, int line, CSVRecord row, String column) {
    String v = row.get(column);
    if (v.isEmpty()) {
      throw bad(file, line, column, v, "non-empty text");
    }
    return v;
  }

  private static int integer(String file, int line, CSVRecord row, String column, int limit, String what) {
    String v = row.get(column);
    int x;
    try {
      x = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      x = -1;
    }
    if (x < 0 || x >= limit) {
      throw bad(file, line, column, v, "an integer from 0 to " + (limit - 1) + " (" + what + ")");
    }
    return x;
  }

  private static double number(String file, int line, CSVRecord row, String column) {
    String v = row.get(column);
    double x;
    try {
      x = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      x = Double.NaN;
    }
    if (!Double.isFinite(x) || v.endsWith("d") || v.endsWith("D") || v.endsWith("f") || v.endsWith("F")) {
      throw bad(file, line, column, v, "a finite number");
    }
    return x;
  }

  private static IllegalArgumentException bad(String file, int line, String column, String value, String allowed) {
    return new IllegalArgumentException(file + ": line " + line + ", column " + column + " = \"" + value
        + "\"; allowed: " + allowed);
  }

  /** One session's rows, kept as growable arrays. */
  private static final class Rows {
    int n;
    int[] cue = new int[64];
    int[] action = new int[64];
    double[] reward = new double[64];

    void add(int c, int a, double r) {
      if (n == action.length) {
        cue = java.util.Arrays.copyOf(cue, 2 * n);
        action = java.util.Arrays.copyOf(action, 2 * n);
        reward = java.util.Arrays.copyOf(reward, 2 * n);
      }
      cue[n] = c;
      action[n] = a;
      reward[n] = r;
      n++;
    }

    static ChoiceData join(String subject, int actions, int cues, java.util.Collection<Rows> sessions) {
      int total = 0;
      for (Rows r : sessions) {
        total += r.n;
      }
      int[] starts = new int[sessions.size()];
      int[] cue = new int[total], action = new int[total];
      double[] reward = new double[total];
      int k = 0, t = 0;
      for (Rows r : sessions) {
        starts[k++] = t;
        System.arraycopy(r.cue, 0, cue, t, r.n);
        System.arraycopy(r.action, 0, action, t, r.n);
        System.arraycopy(r.reward, 0, reward, t, r.n);
        t += r.n;
      }
      return new ChoiceData(subject, actions, cues, starts, cue, action, reward);
    }
  }
}
