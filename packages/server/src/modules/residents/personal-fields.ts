import { maskDocument, maskPhone } from '@gridline/shared';
import type { PersonalDataCipher } from '../../lib/personal-data.js';

/** How a document number is stored: ciphertext, keyed look-up hash, masked form, last four for search. */
export function sealDocument(cipher: PersonalDataCipher, docType: string, docNumber: string) {
  return {
    doc_number_enc: cipher.encrypt(docNumber),
    doc_number_hash: documentHash(cipher, docType, docNumber),
    doc_number_masked: maskDocument(docNumber),
    doc_last4: docNumber.slice(-4),
  };
}

export function documentHash(cipher: PersonalDataCipher, docType: string, docNumber: string): string {
  return cipher.lookupHash(`doc:${docType}`, docNumber);
}

export function sealPhone(cipher: PersonalDataCipher, phone: string | null) {
  if (!phone) return { phone_enc: null, phone_hash: null, phone_masked: null, phone_last4: null };
  return { phone_enc: cipher.encrypt(phone), phone_hash: phoneHash(cipher, phone), phone_masked: maskPhone(phone), phone_last4: phone.slice(-4) };
}

export function phoneHash(cipher: PersonalDataCipher, phone: string): string {
  return cipher.lookupHash('phone', phone);
}
