package org.neurorl.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GridMazeTest {
  @Test
  void layoutMovesAndRewardsAreAsDocumented() {
    assertEquals(14, GridMaze.shortestPath(GridMaze.GOAL_A));
    assertEquals(11, GridMaze.shortestPath(GridMaze.GOAL_B));
    int walls = 0;
    for (int s = 0; s < GridMaze.STATES; s++) {
      walls += GridMaze.wall(s) ? 1 : 0;
    }
    assertEquals(7, walls);
    // from the start (2, 0): right to (2, 1), then the wall at (2, 2) blocks; up from row 0 stays
    assertEquals(2 * 9 + 1, GridMaze.move(GridMaze.START, 1));
    assertEquals(2 * 9 + 1, GridMaze.move(2 * 9 + 1, 1));
    assertEquals(3, GridMaze.move(3, 0));
    assertEquals(8, GridMaze.move(8, 1));
    GridMaze maze = new GridMaze(5, 50);
    assertEquals(GridMaze.GOAL_A, maze.goal(4));
    assertEquals(GridMaze.GOAL_B, maze.goal(5));
    int[] state = {17, 17, -1, 4 * 9 + 8}, action = {0, 2, 0, 2}, next = new int[4];
    float[] reward = new float[4];
    maze.step(0, state, action, reward, next);
    assertEquals(-1, next[0], "(1, 8) up reaches goal A in episode 0");
    assertEquals(GridMaze.GOAL_REWARD, reward[0]);
    assertEquals(26, next[1]);
    assertEquals(GridMaze.STEP_REWARD, reward[1]);
    assertEquals(-1, next[2]);
    assertEquals(0f, reward[2]);
    assertEquals(GridMaze.GOAL_B, next[3], "goal B is an ordinary cell before the switch");
    maze.step(5, state, action, reward, next);
    assertEquals(-1, next[3], "after the switch (4, 8) down reaches goal B");
    assertTrue(next[0] >= 0, "goal A is an ordinary cell after the switch");
    assertThrows(IllegalArgumentException.class, () -> new GridMaze(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> GridMaze.move(0, 4));
  }
}
