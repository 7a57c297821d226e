#ifndef RINGSIDE_CCRYPTO_SHIM_H
#define RINGSIDE_CCRYPTO_SHIM_H
// OpenSSL libcrypto (AES-256-GCM through EVP, RAND_bytes) and the kernel key-retention syscalls,
// wrapped so Swift sees plain functions with checked int results (issue 15: tokens encrypted at rest).
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <errno.h>

/// Encrypts `len` bytes with a 32-byte key and 12-byte IV; writes `len` bytes to `out` and a 16-byte tag.
/// Returns 1 on success, 0 on any libcrypto failure.
static inline int ringside_gcm_seal(const unsigned char *key, const unsigned char *iv,
                                    const unsigned char *aad, int aad_len,
                                    const unsigned char *in, int len, unsigned char *out, unsigned char *tag) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) return 0;
    int ok = 0, n = 0, m = 0;
    if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) == 1
        && EVP_EncryptInit_ex(ctx, NULL, NULL, key, iv) == 1
        && (aad_len == 0 || EVP_EncryptUpdate(ctx, NULL, &n, aad, aad_len) == 1)
        && EVP_EncryptUpdate(ctx, out, &n, in, len) == 1
        && EVP_EncryptFinal_ex(ctx, out + n, &m) == 1
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1) ok = 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

/// Decrypts and authenticates; returns 1 when the tag matches, 0 when the data, tag, key or AAD differ.
static inline int ringside_gcm_open(const unsigned char *key, const unsigned char *iv,
                                    const unsigned char *aad, int aad_len,
                                    const unsigned char *in, int len, const unsigned char *tag, unsigned char *out) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) return 0;
    int ok = 0, n = 0, m = 0;
    if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) == 1
        && EVP_DecryptInit_ex(ctx, NULL, NULL, key, iv) == 1
        && (aad_len == 0 || EVP_DecryptUpdate(ctx, NULL, &n, aad, aad_len) == 1)
        && EVP_DecryptUpdate(ctx, out, &n, in, len) == 1
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, (void *)tag) == 1
        && EVP_DecryptFinal_ex(ctx, out + n, &m) == 1) ok = 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

/// Cryptographically strong random bytes; 1 on success.
static inline int ringside_random(unsigned char *out, int len) { return RAND_bytes(out, len); }

// Kernel keyring (keyrings(7)); constants from <linux/keyctl.h>.
#define RINGSIDE_KEY_SPEC_USER_KEYRING (-4)
#define RINGSIDE_KEYCTL_SEARCH 10
#define RINGSIDE_KEYCTL_READ 11
#define RINGSIDE_KEYCTL_INVALIDATE 21
#define RINGSIDE_KEYCTL_GET_PERSISTENT 22

/// The caller's persistent keyring (survives logout, expires after days unused), else the user keyring.
/// Returns a key serial (> 0) or -1 with errno set.
static inline long ringside_keyring(int *persistent) {
    long id = syscall(SYS_keyctl, RINGSIDE_KEYCTL_GET_PERSISTENT, -1, RINGSIDE_KEY_SPEC_USER_KEYRING);
    if (id > 0) { *persistent = 1; return id; }
    *persistent = 0;
    // Resolve the user keyring's real serial (creating it if needed) by a harmless search for nothing.
    long probe = syscall(SYS_keyctl, RINGSIDE_KEYCTL_SEARCH, RINGSIDE_KEY_SPEC_USER_KEYRING, "user", "ringside:probe", 0);
    if (probe < 0 && errno != ENOKEY) return -1;
    return RINGSIDE_KEY_SPEC_USER_KEYRING;
}

/// Adds (or replaces) a "user" key in `keyring`; returns its serial or -1.
static inline long ringside_add_key(const char *description, const void *payload, size_t len, long keyring) {
    return syscall(SYS_add_key, "user", description, payload, len, keyring);
}

/// Finds a "user" key by description in `keyring`; returns its serial or -1 (errno ENOKEY when absent).
static inline long ringside_search_key(const char *description, long keyring) {
    return syscall(SYS_keyctl, RINGSIDE_KEYCTL_SEARCH, keyring, "user", description, 0);
}

/// Reads a key's payload into `buffer`; returns the payload length or -1.
static inline long ringside_read_key(long key, void *buffer, size_t len) {
    return syscall(SYS_keyctl, RINGSIDE_KEYCTL_READ, key, buffer, len);
}

/// Invalidates (removes) a key; 0 or -1.
static inline long ringside_invalidate_key(long key) {
    return syscall(SYS_keyctl, RINGSIDE_KEYCTL_INVALIDATE, key);
}
#endif
