export { buildJsonFeed, itemApplyBy, JSON_FEED_CONTENT_TYPE, type JsonFeed, type JsonFeedItem, type FeedEntry, type FeedMeta } from './json-feed.js';
export { feedFromStore } from './from-store.js';
export { buildAtomFeed, xmlEscape, ATOM_CONTENT_TYPE } from './atom.js';
export { subscriptionEntries } from './for-subscription.js';
