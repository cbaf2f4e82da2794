/** Change-feed topic of clients, resources and grants: the token endpoint's caches reload on it. */
export const CLIENT_REGISTRY_TOPIC = 'client-registry';
