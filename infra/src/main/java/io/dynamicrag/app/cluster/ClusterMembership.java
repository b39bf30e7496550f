package io.dynamicrag.app.cluster;

/**
 * This process as one node of the cluster: its id (also the owner Axon writes into {@code token_entry}) and how many
 * segments of an event processor it may hold, so the live nodes share every processor's work fairly.
 */
public interface ClusterMembership {

    /** This node's id ({@code rag.cluster.node-id}, default {@code <host>-<pid>}): unique among live nodes. */
    String nodeId();

    /**
     * The most segments of {@code processorName} this node may claim now: its fair share (the processor's segments
     * divided by the live nodes running it, rounded up), plus room for segments an operator released on another
     * node. Always at least 1; cheap (cached), never throws: Axon's coordinator asks on every claim cycle.
     */
    int maxClaimedSegments(String processorName);
}
