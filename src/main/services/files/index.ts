export { FileGrants, type DroppedItem, type FileDialogs, type FileFilter } from './file-grants';
