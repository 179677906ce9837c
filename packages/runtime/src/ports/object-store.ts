export interface StoredObject {
  body: Buffer;
  contentType: string;
}

/** Media and files: a local directory in standalone mode, MinIO/S3 in Kubernetes. */
export interface ObjectStore {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
}
