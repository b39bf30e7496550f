package io.dynamicrag.app.cluster;

/**
 * This process as one node of the cluster: its id (also the owner Axon writes into {@code token_entry}) and how many
 * live nodes run a given event processor, from which each node's fair share of that processor's segments follows.
 */
public interface ClusterMembership {

    /** This node's id ({@code RAG_NODE_ID}, default {@code <host>-<pid>}): unique among live nodes. */
    String nodeId();

    /** Live nodes (this one included, so at least 1) that run the event processor {@code processorName}. */
    int liveNodesRunning(String processorName);
}
