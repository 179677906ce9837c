import { z } from 'zod';

export const messageParamsSchema = z.object({ id: z.uuid() });

/** How long a browser may keep a media response; the bytes of a stored object never change under its key. */
export const mediaCacheSeconds = 3600;
