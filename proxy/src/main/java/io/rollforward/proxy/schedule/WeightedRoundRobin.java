package io.rollforward.proxy.schedule;

import java.util.List;

/**
 * IPVS {@code wrr} ({@code ip_vs_wrr.c}): a current weight {@code cw} starts at the largest weight and
 * steps down by the weights' gcd each time the scan wraps; a group is chosen when its weight is
 * at least {@code cw}. Weights 4, 3, 2 give A A B A B C A B C. Groups out of the schedule count
 * as weight 0; the largest weight and the gcd are recomputed when the weights change, and
 * {@code cw} is clamped to the new largest weight, as {@code ip_vs_wrr_dest_changed} does.
 */
public final class WeightedRoundRobin implements GroupScheduler {
    private int index = -1;
    private int currentWeight;
    private int[] lastWeights = new int[0];
    private int maxWeight;
    private int gcd;

    @Override
    public synchronized int pick(List<? extends Schedulable> groups, String target) {
        int n = groups.size();
        int[] weights = new int[n];
        for (int i = 0; i < n; i++) {
            Schedulable g = groups.get(i);
            weights[i] = g.inSchedule() ? g.weight() : 0;
        }
        if (!java.util.Arrays.equals(weights, lastWeights)) {
            weightsChanged(weights);
        }
        if (maxWeight == 0) {
            return -1;
        }
        // One full pass over every weight level finds a group: bounded, never a spin.
        int bound = n * (maxWeight / gcd + 1);
        for (int step = 0; step < bound; step++) {
            index = (index + 1) % n;
            if (index == 0) {
                currentWeight -= gcd;
                if (currentWeight <= 0) {
                    currentWeight = maxWeight;
                }
            }
            if (weights[index] >= currentWeight) {
                return index;
            }
        }
        return -1;
    }

    private void weightsChanged(int[] weights) {
        if (weights.length != lastWeights.length) {
            index = -1;
            currentWeight = 0;
        }
        lastWeights = weights;
        maxWeight = 0;
        gcd = 0;
        for (int w : weights) {
            maxWeight = Math.max(maxWeight, w);
            gcd = w == 0 ? gcd : gcd(gcd, w);
        }
        currentWeight = Math.min(currentWeight, maxWeight);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
