// "Add receipt" on the resubmit form: Electron's native open-file dialog, modal to the app's window.
// Main opens it when the page asks (receipt:pick, which takes no arguments) and hands the paths the
// user chose to the core, which reads and checks the files; the page never names a path.
import type { BaseWindow, Dialog, OpenDialogOptions } from 'electron';
import { RECEIPT_EXTENSIONS } from '../../protocol/receipt-content';

export interface ReceiptPickerLabels {
  title: string;
  /** The name of the file-type filter ("Receipts (images and PDF)"). */
  filter: string;
}

/**
 * The filter is a convenience for the user; the core decides by content whatever a file is called, so
 * `jpeg` is offered next to the `.jpg` the types are saved under.
 */
const EXTENSIONS = [...new Set([...Object.values(RECEIPT_EXTENSIONS).map((ext) => ext.slice(1)), 'jpeg'])];

export async function chooseReceiptFiles(
  dialog: Pick<Dialog, 'showOpenDialog'>,
  parent: BaseWindow | null,
  labels: ReceiptPickerLabels,
): Promise<string[]> {
  const options: OpenDialogOptions = {
    title: labels.title,
    properties: ['openFile', 'multiSelections'],
    filters: [{ name: labels.filter, extensions: EXTENSIONS }],
  };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}
