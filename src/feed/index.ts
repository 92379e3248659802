export { buildJsonFeed, itemApplyBy, JSON_FEED_CONTENT_TYPE, type JsonFeed, type JsonFeedItem, type FeedEntry, type FeedMeta } from './json-feed.js';
export { feedFromStore } from './from-store.js';
