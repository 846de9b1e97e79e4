package org.neurorl.dra;

import org.neurorl.env.GridMaze;
import org.neurorl.kernel.Parallel;
import org.neurorl.kernel.dra.DraBatch;
import org.neurorl.kernel.dra.DraKernel;
import org.neurorl.kernel.dra.DraParams;

/**
 * A batch of agents learning the {@link GridMaze} over episodes; the goal moves at the maze's switch
 * episode. Records the moves each agent needed per episode ({@code maxSteps} when it did not reach the
 * goal). A truncated episode's last update bootstraps from the state reached (a time limit is not a
 * terminal state). DRA runs N_traj rollouts from the start after each episode, in the maze with the
 * current goal, each at most {@code rolloutSteps} moves, then one σ update.
 *
 * @param steps [episode][agent] moves to the goal
 */
public record MazeRun(String label, DraParams params, int agents, int episodes, int[][] steps, double[] finalSigmas) {

  public static MazeRun run(String label, DraKernel kernel, DraParams params, GridMaze maze, int agents, int episodes,
      int rolloutSteps, long seed, float[] sharedSigma, Parallel parallel) {
    DraBatch batch = kernel.newBatch(agents, GridMaze.STATES, GridMaze.ACTIONS, params, seed, 0, rolloutSteps);
    if (sharedSigma != null) {
      batch.setSharedSigma(sharedSigma);
    }
    int[] st = new int[agents], act = new int[agents], next = new int[agents], learnNext = new int[agents];
    float[] r = new float[agents];
    int[][] steps = new int[episodes][agents];
    int decision = 0, rolloutDecision = 0;
    boolean dra = params.model() == DraParams.Model.DRA;
    for (int e = 0; e < episodes; e++) {
      java.util.Arrays.fill(st, GridMaze.START);
      int[] count = steps[e];
      for (int k = 0; k < maze.maxSteps(); k++) {
        kernel.act(batch, DraKernel.Phase.LEARN, decision, st, null, act, null, parallel);
        maze.step(e, st, act, r, next);
        boolean last = k == maze.maxSteps() - 1, anyone = false;
        for (int i = 0; i < agents; i++) {
          if (st[i] >= 0) {
            count[i]++;
            // at truncation next[i] is the cell reached (≥ 0), so the update bootstraps from it
            learnNext[i] = next[i];
          } else {
            learnNext[i] = -1;
          }
        }
        kernel.learn(batch, r, learnNext, decision + 1, parallel);
        decision++;
        for (int i = 0; i < agents; i++) {
          st[i] = last ? -1 : next[i];
          anyone |= st[i] >= 0;
        }
        if (!anyone) {
          break;
        }
      }
      if (dra) {
        for (int n = 0; n < params.rollouts(); n++) {
          java.util.Arrays.fill(st, GridMaze.START);
          for (int k = 0; k < rolloutSteps; k++) {
            kernel.act(batch, DraKernel.Phase.ROLLOUT, rolloutDecision++, st, null, act, null, parallel);
            maze.step(e, st, act, r, next);
            kernel.rolloutReward(batch, r, parallel);
            boolean anyone = false;
            for (int i = 0; i < agents; i++) {
              st[i] = next[i];
              anyone |= st[i] >= 0;
            }
            if (!anyone) {
              break;
            }
          }
          kernel.endRollout(batch, parallel);
        }
        kernel.updateSigma(batch, parallel);
      }
    }
    double[] sg = new double[batch.tableLength()];
    batch.readSigmas(sg);
    return new MazeRun(label, params, agents, episodes, steps, sg);
  }

  /** Total KL cost of agent i's memories over the open cells (wall cells are never visited). */
  public double totalCost(int i) {
    double c = 0;
    for (int s = 0; s < GridMaze.STATES; s++) {
      if (GridMaze.wall(s)) {
        continue;
      }
      for (int a = 0; a < GridMaze.ACTIONS; a++) {
        c += DraParams.klCost(finalSigmas[(s * GridMaze.ACTIONS + a) * agents + i], params.sigmaBase());
      }
    }
    return c;
  }

  /** Memories the cost is counted over. */
  public static int openMemories() {
    int n = 0;
    for (int s = 0; s < GridMaze.STATES; s++) {
      n += GridMaze.wall(s) ? 0 : GridMaze.ACTIONS;
    }
    return n;
  }
}
