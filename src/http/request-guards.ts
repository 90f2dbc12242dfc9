import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./errors";

export const maxBodyBytes = 1024 * 1024;

/** Bodies over 1 MiB are refused whether or not they declare a Content-Length. */
export const limitBody = bodyLimit({
  maxSize: maxBodyBytes,
  onError: () => {
    throw new ApiError("payload_too_large", `The request body is larger than ${maxBodyBytes} bytes.`);
  },
});
