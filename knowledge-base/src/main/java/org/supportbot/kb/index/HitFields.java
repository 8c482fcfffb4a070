package org.supportbot.kb.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteArrayDataOutput;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.UnicodeUtil;
import org.supportbot.kb.ingest.KbDocument;

/**
 * What a search hit shows of its document, kept together in the {@link KbFields#HIT} doc value:
 * each value as its UTF-8 length (a variable-length int) and bytes, in the order id, source label,
 * title, link.
 */
public record HitFields(String id, String source, String title, String url) {

  /** The doc value of a document. */
  public static BytesRef encode(KbDocument d) {
    String[] values = {d.id(), d.source().label(), d.title(), d.url()};
    int size = 0; // exactly: each value's UTF-8 length as a variable-length int, then its bytes
    for (String v : values) {
      int utf8 = UnicodeUtil.calcUTF16toUTF8Length(v, 0, v.length());
      size += utf8 + (32 - Integer.numberOfLeadingZeros(Math.max(1, utf8)) + 6) / 7;
    }
    byte[] bytes = new byte[size];
    ByteArrayDataOutput out = new ByteArrayDataOutput(bytes);
    try {
      for (String v : values) {
        out.writeString(v);
      }
    } catch (IOException e) {
      // DataOutput declares it; writing to an array this large does not throw
      throw new UncheckedIOException(e);
    }
    return new BytesRef(bytes, 0, out.getPosition());
  }

  /** The fields of a doc value written by {@link #encode}. */
  public static HitFields decode(BytesRef value) {
    ByteArrayDataInput in = new ByteArrayDataInput(value.bytes, value.offset, value.length);
    try {
      return new HitFields(in.readString(), in.readString(), in.readString(), in.readString());
    } catch (IOException e) {
      // DataInput declares it; reading from an array does not throw
      throw new UncheckedIOException(e);
    }
  }
}
