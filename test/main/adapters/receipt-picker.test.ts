// The native open-file dialog behind "Add receipt", over Electron's dialog (the fake, typed from
// electron.d.ts): modal to the app's window, files only and several at once, the receipt types offered
// in the user's language, and a cancel answered as "nothing chosen".
import { beforeEach, describe, expect, it } from 'vitest';
import { chooseReceiptFiles } from '../../../main/adapters/receipt-picker';
import { BrowserWindow, dialog, fake, resetFakeElectron } from '../../support/fake-electron';

const LABELS = { title: '添加票据', filter: '票据（图片和 PDF）' };

describe('receipt picker', () => {
  beforeEach(() => resetFakeElectron());

  it('opens a modal multi-file dialog for images and PDFs and returns what the user chose', async () => {
    const window = new BrowserWindow({ show: false });
    window.show();
    fake.openDialogAnswers.push({ canceled: false, filePaths: ['/home/a/hotel.pdf', '/home/a/taxi.jpg'] });
    const parent = BrowserWindow.getFocusedWindow() as unknown as Parameters<typeof chooseReceiptFiles>[1];
    expect(await chooseReceiptFiles(dialog, parent, LABELS)).toEqual([
      '/home/a/hotel.pdf',
      '/home/a/taxi.jpg',
    ]);
    expect(fake.openDialogs).toEqual([
      {
        modal: true,
        options: {
          title: '添加票据',
          properties: ['openFile', 'multiSelections'],
          filters: [{ name: '票据（图片和 PDF）', extensions: ['png', 'jpg', 'webp', 'pdf', 'jpeg'] }],
        },
      },
    ]);
  });

  it('answers nothing when the user cancels, and works without a window', async () => {
    fake.openDialogAnswers.push({ canceled: true, filePaths: ['/ignored'] });
    expect(await chooseReceiptFiles(dialog, null, LABELS)).toEqual([]);
    expect(fake.openDialogs[0]?.modal).toBe(false);
  });
});
