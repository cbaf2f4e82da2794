/** Change-feed topic of partner applications (registration, keys, metadata status). */
export const PARTNERS_TOPIC = 'partner-applications';
