/* Photos are made smaller on the phone before they are queued: a 12 MP camera file of 5 MB becomes a
 * 1600-pixel JPEG of a few hundred kB, which a weak mobile connection can send.
 *
 * Drawing on a canvas drops the EXIF, and the EXIF time and position are evidence the case file shows; so the
 * original's EXIF block (APP1) is copied into the new JPEG, with its orientation set to "upright" because the
 * browser already turned the pixels upright. A file the browser cannot decode (HEIC on most phones) is sent
 * as it is; the server converts it.
 */
(function () {
  "use strict";
  const MAX_SIDE = 1600;
  const QUALITY = 0.8;

  async function compress(file) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (error) {
      return file;
    }
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const small = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
    if (!small) return file;
    const exif = await exifSegment(file);
    const result = exif ? await withExif(small, exif) : small;
    return result.size < file.size || exif ? result : file;
  }

  /* The APP1 "Exif" segment of a JPEG (marker included), or null. */
  async function exifSegment(file) {
    const bytes = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
    let at = 2;
    while (at + 4 < bytes.length && bytes[at] === 0xff) {
      const marker = bytes[at + 1];
      const length = (bytes[at + 2] << 8) | bytes[at + 3];
      if (marker === 0xe1 && bytes[at + 4] === 0x45 && bytes[at + 5] === 0x78) {  // "Ex"
        const segment = bytes.slice(at, at + 2 + length);
        upright(segment);
        return segment;
      }
      if (marker === 0xda) break;  // start of scan: no more headers
      at += 2 + length;
    }
    return null;
  }

  /* Set the orientation tag (0x0112) of IFD0 to 1 in place. */
  function upright(segment) {
    const tiff = 10;  // FF E1, length (2), "Exif\0\0"
    const view = new DataView(segment.buffer, segment.byteOffset, segment.byteLength);
    if (tiff + 8 > segment.length) return;
    const little = view.getUint16(tiff) === 0x4949;
    const ifd = tiff + view.getUint32(tiff + 4, little);
    if (ifd + 2 > segment.length) return;
    const count = view.getUint16(ifd, little);
    for (let i = 0; i < count; i += 1) {
      const entry = ifd + 2 + i * 12;
      if (entry + 12 > segment.length) return;
      if (view.getUint16(entry, little) === 0x0112) view.setUint16(entry + 8, 1, little);
    }
  }

  async function withExif(jpeg, segment) {
    const bytes = new Uint8Array(await jpeg.arrayBuffer());
    const rest = 2;  // after SOI; the canvas's own JFIF APP0 may stay
    return new Blob([bytes.slice(0, rest), segment, bytes.slice(rest)], { type: "image/jpeg" });
  }

  window.FieldPhotos = { compress, MAX_SIDE };
})();
