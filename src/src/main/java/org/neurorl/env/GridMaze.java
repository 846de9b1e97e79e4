package org.neurorl.env;

import org.neurorl.kernel.Checks;

/**
 * A 9 × 6 grid maze with walls whose goal moves part-way through training (MODELS.md §4b), the layout
 * of Sutton &amp; Barto's Dyna maze (Figure 8.2). Rows 0 (top) to 5, columns 0 to 8; state = row·9 + col.
 * <pre>
 *   row 0  . . . . . . . # A
 *   row 1  . . # . . . . # .
 *   row 2  S . # . . . . # .
 *   row 3  . . # . . . . . .
 *   row 4  . . . . . # . . .
 *   row 5  . . . . . . . . B
 * </pre>
 * Start S = (2, 0). The goal is A = (0, 8) for episodes {@code < switchEpisode} and B = (5, 8) from then
 * on. Actions 0 up, 1 right, 2 down, 3 left; a move into a wall or off the grid leaves the agent in
 * place. Every move costs {@link #STEP_REWARD} = −0.01; the move that reaches the goal pays
 * {@link #GOAL_REWARD} = +1 instead and ends the episode; an episode not finished after
 * {@code maxSteps} moves is truncated. The maze is deterministic (no random numbers). Shortest paths:
 * 14 moves to A, 11 to B (GridMazeTest).
 */
public final class GridMaze {
  public static final int COLUMNS = 9, ROWS = 6, STATES = COLUMNS * ROWS, ACTIONS = 4;
  public static final float STEP_REWARD = -0.01f, GOAL_REWARD = 1f;
  public static final int START = 2 * COLUMNS, GOAL_A = 8, GOAL_B = 5 * COLUMNS + 8;
  private static final boolean[] WALL = new boolean[STATES];

  static {
    for (int[] w : new int[][] {{1, 2}, {2, 2}, {3, 2}, {4, 5}, {0, 7}, {1, 7}, {2, 7}}) {
      WALL[w[0] * COLUMNS + w[1]] = true;
    }
  }

  private final int switchEpisode, maxSteps;

  public GridMaze(int switchEpisode, int maxSteps) {
    this.switchEpisode = Checks.range("switchEpisode", switchEpisode, 0, Integer.MAX_VALUE);
    this.maxSteps = Checks.range("maxSteps", maxSteps, 1, 1 << 20);
  }

  public int switchEpisode() {
    return switchEpisode;
  }

  public int maxSteps() {
    return maxSteps;
  }

  public int goal(int episode) {
    return episode < switchEpisode ? GOAL_A : GOAL_B;
  }

  public static boolean wall(int state) {
    return WALL[state];
  }

  /** The state after {@code action} from {@code state} (walls and borders block). */
  public static int move(int state, int action) {
    int r = state / COLUMNS, c = state % COLUMNS;
    switch (action) {
      case 0 -> r--;
      case 1 -> c++;
      case 2 -> r++;
      case 3 -> c--;
      default -> throw new IllegalArgumentException("action = " + action + "; allowed: 0 to 3");
    }
    if (r < 0 || r >= ROWS || c < 0 || c >= COLUMNS || WALL[r * COLUMNS + c]) {
      return state;
    }
    return r * COLUMNS + c;
  }

  /**
   * One move of every agent: agents with {@code state[i] < 0} (finished) stay finished with reward 0.
   * {@code next[i]} is −1 when the move reached the goal (terminal).
   */
  public void step(int episode, int[] state, int[] action, float[] reward, int[] next) {
    int goal = goal(episode);
    for (int i = 0; i < state.length; i++) {
      if (state[i] < 0) {
        reward[i] = 0f;
        next[i] = -1;
        continue;
      }
      int s = move(state[i], action[i]);
      reward[i] = s == goal ? GOAL_REWARD : STEP_REWARD;
      next[i] = s == goal ? -1 : s;
    }
  }

  /** Length of the shortest path from the start to {@code goal} (breadth-first search). */
  public static int shortestPath(int goal) {
    int[] dist = new int[STATES];
    java.util.Arrays.fill(dist, -1);
    int[] queue = new int[STATES];
    int head = 0, tail = 0;
    queue[tail++] = START;
    dist[START] = 0;
    while (head < tail) {
      int s = queue[head++];
      if (s == goal) {
        return dist[s];
      }
      for (int a = 0; a < ACTIONS; a++) {
        int n = move(s, a);
        if (dist[n] < 0) {
          dist[n] = dist[s] + 1;
          queue[tail++] = n;
        }
      }
    }
    return -1;
  }
}
