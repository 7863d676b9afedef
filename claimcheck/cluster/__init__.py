"""cluster: articles → stories, claims → clusters of the same fact."""

from claimcheck.cluster.anchors import denial_anchors
from claimcheck.cluster.claims import cluster_claims, cluster_pairs
from claimcheck.cluster.stories import group_by_centroids, group_stories

__all__ = ["cluster_claims", "cluster_pairs", "denial_anchors", "group_by_centroids", "group_stories"]
