// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"
#include "musubiuploadentrymodel.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtCore/QVariant>

#include <functional>
#include <memory>

class MusubiStoreTree;
class PhoenixPush;

namespace Musubi::detail {
class StoreTreePrivate;
struct UploadPrivate;
class UploadHost;
class UploadTransfer;
} // namespace Musubi::detail

/*!
    \class MusubiUpload
    \brief The upload handle of one (store, upload name) pair (docs/protocol.md §8).

    A store that declares an upload has a slot \c{{"__musubi_upload__": name}}
    in its tree; the slot's value on the MusubiStore is this handle
    (\c{store.avatar} in QML). Handles are created and owned by
    MusubiStoreTree and deleted (deleteLater()) when their store vanishes.

    State:
    \list
    \li config(): \c accept (\c "any" or a list of extensions), \c max_entries,
        \c max_file_size, \c chunk_size, replaced by every \c config op;
        defaults before any: any, 1, 8000000, 64000.
    \li status(): client-local (§8.3): \c Idle → select() → \c Selecting →
        (preflight rejected a file → \c Failed) → start() → \c Uploading → all
        transfers settled → \c Succeeded or \c Failed → reset() → \c Idle.
        Compare it directly (\c{upload.status === MusubiUpload.Failed} in QML).
    \li entryModel() / entries(): the files, in insertion order, as the
        server's \c upload_ops and the preflight reply describe them;
        progress() is their rounded mean.
    \li errors(): handle-level errors \c{[{code, message}]}: preflight
        rejections, refused preflights and error ops without a ref.
    \endlist

    select() sends the preflight (\c allow_upload) for local files; accepted
    files become entries in selection order, rejected ones are reported in
    errors() and rejected(). start() transfers every accepted entry: channel
    mode over a \c musubi_upload:<ref> sub-channel (binary chunks of at most
    \c chunk_size bytes, read from disk one at a time, each sent after the
    previous reply), external mode through the MusubiUploader registered on
    the connection under the name the server asked for. cancel() and reset()
    stop transfers and tell the server.

    Uploads are not resumable (docs/protocol.md §12): when the root's connection
    drops, a pending preflight, accepted files not started yet and running
    transfers (external jobs are cancelled) all end with code
    \c disconnected, and the status becomes \c Failed unless everything had
    already finished. Once the root is live again, the entries of the old
    server are removed: the new server does not know them.

    \sa MusubiUploadEntryModel, MusubiUploader, MusubiStore
*/
class MUSUBI_CORE_EXPORT MusubiUpload : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QJsonArray storeId READ storeIdJson CONSTANT)
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(QString statusName READ statusName NOTIFY statusChanged)
    Q_PROPERTY(QJsonObject config READ config NOTIFY configChanged)
    Q_PROPERTY(QStringList accept READ accept NOTIFY configChanged)
    Q_PROPERTY(bool acceptsAny READ acceptsAny NOTIFY configChanged)
    Q_PROPERTY(int maxEntries READ maxEntries NOTIFY configChanged)
    Q_PROPERTY(qint64 maxFileSize READ maxFileSize NOTIFY configChanged)
    Q_PROPERTY(int chunkSize READ chunkSize NOTIFY configChanged)
    Q_PROPERTY(QJsonArray errors READ errors NOTIFY errorsChanged)
    Q_PROPERTY(QJsonArray rejected READ rejected NOTIFY errorsChanged)
    Q_PROPERTY(QVariantList entries READ entries NOTIFY entriesChanged)
    Q_PROPERTY(MusubiUploadEntryModel *entryModel READ entryModel CONSTANT)
    Q_PROPERTY(int progress READ progress NOTIFY progressChanged)
public:
    /*!
        \enum MusubiUpload::Status
        \value Idle      Nothing selected (initially and after reset()).
        \value Selecting select() sent the preflight, or it accepted every file.
        \value Uploading start() is transferring.
        \value Succeeded Every transfer of start() ended well.
        \value Failed    The preflight refused a file, a transfer failed, or the connection
                          dropped before the end; errors() and the entries say why.
    */
    enum class Status { Idle, Selecting, Uploading, Succeeded, Failed };
    Q_ENUM(Status)

    MusubiUpload(const QStringList &storeId, const QString &name, QObject *parent = nullptr);
    ~MusubiUpload() override;

    QJsonArray storeIdJson() const;
    QStringList storeIdList() const;
    QString name() const;
    //! The tree that owns the handle (its parent), or nullptr.
    MusubiStoreTree *tree() const;

    Status status() const;
    /*! \brief status() in lower case: \c idle, \c selecting, \c uploading, \c succeeded
        or \c failed (as musubi-cli prints it). */
    QString statusName() const;

    //! \c{{accept, max_entries, max_file_size, chunk_size}} as on the wire.
    QJsonObject config() const;
    //! Accepted extensions; empty when any file is accepted.
    QStringList accept() const;
    bool acceptsAny() const;
    int maxEntries() const;
    qint64 maxFileSize() const;
    int chunkSize() const;

    //! Handle-level errors, \c{[{code, message}]}.
    QJsonArray errors() const;
    /*! Files the last preflight refused (or that could not be read),
        \c{[{client_ref, name, code, message}]}. */
    QJsonArray rejected() const;
    /*! \brief Every entry in order, as the model's roles see it
        (MusubiUploadEntry::toMap(): \c status is a MusubiUploadEntry::Status).
        The wire objects are entryModel()->toJson(). */
    QVariantList entries() const;
    MusubiUploadEntryModel *entryModel() const;
    //! Mean progress of all entries (pending and failed included), rounded half up; 0 if none.
    int progress() const;
    //! Number of transfers started by start() that have not ended yet.
    int activeTransferCount() const;

    //! Applies one upload op (\c config, \c add, \c progress, \c complete, \c error,
    //! \c cancel, \c reset). Malformed or unknown ops are skipped (returns false), never an error.
    bool applyOp(const QJsonObject &op);

    /*! The MIME type sent for \a fileName: from its extension (\c a.png →
        \c image/png), \c application/octet-stream when unknown. */
    static QString mimeTypeForFile(const QString &fileName);

public Q_SLOTS:
    /*! Selects local files (a list of paths or \c file: URLs, or one of them)
        and sends the preflight. Clears handle errors; status becomes
        \c Selecting, or \c Failed once the reply refused any file.
        preflightFinished() reports the outcome. */
    void select(const QVariant &files);
    void selectFiles(const QStringList &paths);
    void selectUrls(const QList<QUrl> &urls);
    /*! Transfers every accepted entry that has not been started; status
        becomes \c Uploading, then \c Succeeded or \c Failed when all settled
        (finished()). Called while the preflight of select() is still
        pending (\c{select(files); start()}), it starts the accepted entries
        as soon as the preflight is answered. Does nothing when nothing is
        selected or running. */
    void start();
    /*! Cancels entry \a ref, or every entry when \a ref is empty: stops its
        transfer, then sends \c cancel_upload for each, one after the other;
        cancelFinished() after the last reply. The server's \c cancel op
        deletes the entry. */
    void cancel(const QString &ref = QString());
    //! Cancels everything, clears entries and errors; status becomes \c Idle.
    void reset();

Q_SIGNALS:
    void statusChanged(MusubiUpload::Status status, MusubiUpload::Status oldStatus);
    void configChanged();
    void errorsChanged();
    void entriesChanged();
    void progressChanged(int progress);
    //! An entry's progress changed (from an op or a chunk reply).
    void entryProgressChanged(const QString &ref, int progress);
    /*! The preflight reply (or its failure) was handled: \a accepted is
        \c{[{client_ref, ref, name, mode}]} in selection order (\c mode
        \c channel or \c external, the latter with \c uploader), \a rejected
        as rejected(). */
    void preflightFinished(const QJsonArray &accepted, const QJsonArray &rejected);
    /*! Every transfer of start() ended; status() is \c Succeeded or \c Failed.
        \a errors lists the transfers that failed, \c{[{ref, code, message}]}
        (the server's error ops may land after this signal). */
    void finished(const QJsonArray &errors);
    //! The \c cancel_upload pushes of a cancel() were all answered (or failed).
    void cancelFinished();

private:
    friend class Musubi::detail::UploadTransfer;
    friend class Musubi::detail::StoreTreePrivate;
    void setStatus(Status status);
    void setErrors(const QJsonArray &errors, const QJsonArray &rejected);
    void appendError(const QJsonObject &error);
    void entriesTouched();
    bool updateEntry(const QString &ref, const std::function<void(MusubiUploadEntry &)> &mutate);
    void setEntryProgress(const QString &ref, int progress);
    void handlePreflightReply(quint64 generation, int result, const QJsonValue &response);
    void preflightFailed(const QString &code, const QString &message);
    void transferEnded(Musubi::detail::UploadTransfer *transfer);
    void stopTransfer(const QString &ref);
    void settleIfDone();
    void sendNextCancel();
    void connectionLost();
    void remounted();

    PhoenixPush *pushEvent(const QString &event, const QJsonObject &payload);
    //! What the runtime lends uploads (pushes, sub-channels, uploaders), or nullptr.
    Musubi::detail::UploadHost *host() const;

    std::unique_ptr<Musubi::detail::UploadPrivate> d;
};
