package org.neurorl.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChoiceCsvTest {
  @TempDir
  Path dir;

  private Path file(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private String error(String text, int actions) throws IOException {
    Path f = file("bad.csv", text);
    return assertThrows(IllegalArgumentException.class, () -> ChoiceCsv.read(f, actions)).getMessage()
        .replace(f.toString(), "bad.csv");
  }

  @Test
  void roundTripKeepsSubjectsSessionsCuesActionsAndRewards() throws IOException {
    QSimulation.Schedule cued = (t, cue, a) -> a == cue % 3 ? 0.7 : 0.3;
    List<ChoiceData> subjects = List.of(
        QSimulation.simulate("ann", 3, 2, 3, 50, 0.3, 3, 0, cued, 1, 0),
        QSimulation.simulate("bob, the second", 3, 2, 1, 80, 0.5, 2, 0, cued, 1, 1),
        ChoiceData.of("carl", 3, new int[] {2, 0, 1}, new double[] {0.1, -2.5e-7, 1.0 / 3}).withSubject("carl"));
    // carl has one cue and no action 2 twice; the file-wide A and S are given back by the data.
    Path f = dir.resolve("out/choices.csv");
    ChoiceCsv.write(f, subjects);
    List<ChoiceData> back = ChoiceCsv.read(f, 3);
    assertEquals(3, back.size());
    assertEquals(subjects.get(0), back.get(0));
    assertEquals(subjects.get(1), back.get(1));
    assertEquals("carl", back.get(2).subject());
    assertArrayEquals(new double[] {0.1, -2.5e-7, 1.0 / 3}, back.get(2).reward(), 0, "rewards round-trip exactly");
    assertEquals(QFit.fit(subjects.get(0), FitOptions.defaults()), QFit.fit(back.get(0), FitOptions.defaults()));
  }

  @Test
  void minimalFileIsOneSubjectNamedAfterTheFileWithInferredActions() throws IOException {
    Path f = file("rat7.csv", "Action , REWARD,rt\r\n0,1,0.5\r\n\r\n1,0,0.4\n2,1.5,0.3");
    List<ChoiceData> d = ChoiceCsv.read(f, 0);
    assertEquals(1, d.size());
    assertEquals("rat7", d.get(0).subject());
    assertEquals(3, d.get(0).actions(), "largest action + 1");
    assertArrayEquals(new int[] {0, 1, 2}, d.get(0).action());
    assertArrayEquals(new double[] {1, 0, 1.5}, d.get(0).reward(), 0);
  }

  @Test
  void subjectsAndSessionsAreGroupedInOrderOfFirstAppearance() throws IOException {
    Path f = file("g.csv", "subject,session,action,reward\nb,1,0,1\na,1,1,0\nb,2,1,1\nb,1,1,0\na,1,0,1\n");
    List<ChoiceData> d = ChoiceCsv.read(f, 2);
    assertEquals(List.of("b", "a"), d.stream().map(ChoiceData::subject).toList());
    assertArrayEquals(new int[] {0, 1, 1}, d.get(0).action(), "b: session 1 rows (lines 2, 5), then session 2");
    assertArrayEquals(new int[] {0, 2}, d.get(0).sessionStarts());
    assertArrayEquals(new int[] {1, 0}, d.get(1).action());
  }

  @Test
  void malformedFilesNameFileLineColumnAndWhatIsAllowed() throws IOException {
    String allowed = "a header line with columns action, reward (optionally subject, session, cue) and at least one "
        + "row below it";
    assertEquals("bad.csv: the file is empty; allowed: " + allowed, error("", 0));
    assertEquals("bad.csv: the file is empty; allowed: " + allowed, error(" \n\n", 0));
    assertEquals("bad.csv: no rows after the header (line 1); allowed: " + allowed, error("action,reward\n", 0));
    assertEquals("bad.csv: line 1 (header) has no column reward; allowed: " + allowed + " (found: subject, action, rwd)",
        error("subject,action,rwd\ns,0,1\n", 0));
    assertEquals("bad.csv: line 1 (header) has no column action; allowed: " + allowed + " (found: choice, reward)",
        error("choice,reward\n0,1\n", 0));
    assertEquals("bad.csv: line 3, column action = \"x\"; allowed: an integer from 0 to 1 (a 0-based action)",
        error("action,reward\n0,1\nx,0\n", 2));
    assertEquals("bad.csv: line 4, column action = \"2\"; allowed: an integer from 0 to 1 (a 0-based action)",
        error("action,reward\n0,1\n\n2,0\n", 2));
    assertEquals("bad.csv: line 2, column action = \"-1\"; allowed: an integer from 0 to 1023 (a 0-based action)",
        error("action,reward\n-1,1\n", 0));
    assertEquals("bad.csv: line 2, column action = \"1.5\"; allowed: an integer from 0 to 1023 (a 0-based action)",
        error("action,reward\n1.5,1\n", 0));
    assertEquals("bad.csv: line 3, column reward = \"NaN\"; allowed: a finite number",
        error("action,reward\n0,1\n1,NaN\n", 0));
    assertEquals("bad.csv: line 2, column reward = \"\"; allowed: a finite number", error("action,reward\n0,\n", 0));
    assertEquals("bad.csv: line 2, column reward = \"one\"; allowed: a finite number", error("action,reward\n0,one\n", 0));
    assertEquals("bad.csv: line 2, column cue = \"-3\"; allowed: an integer from 0 to 65535 (a cue)",
        error("cue,action,reward\n-3,0,1\n", 0));
    assertEquals("bad.csv: line 3, column subject = \"\"; allowed: non-empty text",
        error("subject,action,reward\ns,0,1\n,1,1\n", 0));
    assertEquals("bad.csv: line 3 has 2 values; allowed: 3, one per header column (session, action, reward)",
        error("session,action,reward\n1,0,1\n1,0\n", 0));
    assertEquals("bad.csv: not valid CSV (org.apache.commons.csv.CSVException: (startline 2) EOF reached before "
        + "encapsulated token finished); allowed: " + allowed + ", quotes closed", error("action,reward\n0,\"1\n1,0\n", 0));
    assertEquals("bad.csv: line 1 (header) cannot be read (The header contains a duplicate name: \"Action\" in "
        + "[action, Action, reward]. If this is valid then use CSVFormat.Builder.setDuplicateHeaderMode().); allowed: "
        + allowed + ", with distinct column names", error("action,Action,reward\n0,0,1\n", 0));
    Path missing = dir.resolve("missing.csv");
    assertEquals(missing + ": no such readable file; allowed: a readable CSV file with " + allowed,
        assertThrows(IllegalArgumentException.class, () -> ChoiceCsv.read(missing, 0)).getMessage());
    Path latin1 = dir.resolve("latin1.csv");
    Files.write(latin1, new byte[] {'a', 'c', 't', 'i', 'o', 'n', ',', 'r', 'e', 'w', 'a', 'r', 'd', '\n', '0', ',', (byte) 0xE9});
    assertEquals(latin1 + ": not UTF-8 text; allowed: a UTF-8 (or ASCII) CSV file",
        assertThrows(IllegalArgumentException.class, () -> ChoiceCsv.read(latin1, 0)).getMessage());
    assertEquals("actions = 1; allowed: 0 (from the file) or 2 to 1024",
        assertThrows(IllegalArgumentException.class, () -> ChoiceCsv.read(file("ok.csv", "action,reward\n0,1\n"), 1))
            .getMessage());
  }
}
