// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiupload.h"
#include "musubilogging_p.h"
#include "musubiupload_p.h"

#include "musubijson_p.h"
#include "musubistoretree.h"
#include "musubistoretree_p.h"
#include "musubiuploadhost_p.h"
#include "musubiuploadtransfer_p.h"

#include <phoenixpush.h>

#include <QtCore/QFileInfo>
#include <QtCore/QMetaEnum>
#include <QtCore/QMimeDatabase>
#include <QtQml/QJSValue>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcMusubiUpload, "musubi.upload")

/*!
    \class MusubiUpload
    \inmodule MusubiCore
    \inheaderfile musubiupload.h
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

/*!
    \enum MusubiUpload::Status

    The client-local status of the handle (docs/protocol.md §8.3).

    \value Idle Nothing selected (initially and after reset()).
    \value Selecting select() sent the preflight, or it accepted every file.
    \value Uploading start() is transferring.
    \value Succeeded Every transfer of start() ended well.
    \value Failed The preflight refused a file, a transfer failed, or the connection
           dropped before the end; errors() and the entries say why.

    \sa statusName()
*/

/*!
    \property MusubiUpload::storeId
    \brief the id of the store that declares the upload, an array of strings.

    The getter is storeIdJson(); storeIdList() returns the same id as a list of strings.
*/

/*!
    \property MusubiUpload::name
    \brief the name of the upload in its store.
*/

/*!
    \property MusubiUpload::status
    \brief the client-local status of the handle.

    See the class description for its transitions; statusChanged() reports the old
    status too.
*/

/*!
    \property MusubiUpload::statusName
    \brief the status in lower case: \c idle, \c selecting, \c uploading, \c succeeded
    or \c failed (as musubi-cli prints it).
*/

/*!
    \property MusubiUpload::config
    \brief the configuration as on the wire: \c{{accept, max_entries, max_file_size,
    chunk_size}}, with \c accept \c "any" or a list of extensions.

    Replaced by every \c config op (and by the \c config of a preflight reply); the
    defaults before any are any, 1, 8000000 and 64000. accept, acceptsAny, maxEntries,
    maxFileSize and chunkSize are its fields one by one.
*/

/*!
    \property MusubiUpload::accept
    \brief the accepted file extensions; empty when any file is accepted.
*/

/*!
    \property MusubiUpload::acceptsAny
    \brief whether any file is accepted (\c accept is \c "any").
*/

/*!
    \property MusubiUpload::maxEntries
    \brief how many files one selection may hold; 1 by default.
*/

/*!
    \property MusubiUpload::maxFileSize
    \brief the largest accepted file, in bytes; 8000000 by default.
*/

/*!
    \property MusubiUpload::chunkSize
    \brief the largest chunk a channel-mode transfer sends, in bytes; 64000 by default.
*/

/*!
    \property MusubiUpload::errors
    \brief the handle-level errors, \c{[{code, message}]}.

    Preflight rejections, refused or failed preflights, files that could not be read,
    a dropped connection, and the server's error ops without a ref. select(), reset()
    and the server's \c reset op clear them.
*/

/*!
    \property MusubiUpload::rejected
    \brief the files the last preflight refused (or that could not be read),
    \c{[{client_ref, name, code, message}]}.
*/

/*!
    \property MusubiUpload::entries
    \brief the entries in order, as the model's roles see them.

    Each is MusubiUploadEntry::toMap(): \c status is a MusubiUploadEntry::Status. The
    wire objects are entryModel()->toJson().
*/

/*!
    \property MusubiUpload::entryModel
    \brief the entries as a list model; owned by the handle, the same object for the
    handle's whole life.
*/

/*!
    \property MusubiUpload::progress
    \brief the mean progress of all entries (pending and failed included), 0 to 100,
    rounded half up; 0 when there are none.

    progressChanged() carries the new value.
*/

/*!
    \fn void MusubiUpload::configChanged()

    Emitted when a \c config op (or the \c config of a preflight reply) changed the
    configuration: config and the properties of its fields.
*/

/*!
    \fn void MusubiUpload::errorsChanged()

    Emitted when errors or rejected changed.
*/

/*!
    \fn void MusubiUpload::statusChanged(MusubiUpload::Status status,
                                        MusubiUpload::Status oldStatus)

    Emitted when the status changes from \a oldStatus to \a status.
*/

/*!
    \fn void MusubiUpload::progressChanged(int progress)

    Emitted when the mean \a progress of the entries changes.
*/

/*!
    \fn void MusubiUpload::entryProgressChanged(const QString &ref, int progress)

    Emitted when the progress of the entry \a ref changed to \a progress, from an
    upload op or a chunk reply.
*/

/*!
    \fn void MusubiUpload::preflightFinished(const QJsonArray &accepted,
                                            const QJsonArray &rejected)

    Emitted when the preflight reply (or its failure) was handled: \a accepted is
    \c{[{client_ref, ref, name, mode}]} in selection order (\c mode \c channel or
    \c external, the latter with \c uploader), \a rejected as rejected().
*/

/*!
    \fn void MusubiUpload::finished(const QJsonArray &errors)

    Emitted when every transfer of start() ended; status() is then \c Succeeded or
    \c Failed. \a errors lists the transfers that failed, \c{[{ref, code, message}]}
    (the server's error ops may land after this signal).
*/

/*!
    \fn void MusubiUpload::cancelFinished()

    Emitted when the \c cancel_upload pushes of a cancel() (or reset()) were all
    answered or failed.
*/

using Musubi::detail::StoreTreePrivate;
using Musubi::detail::UploadHost;
using Musubi::detail::UploadPrivate;
using Pending = UploadPrivate::Pending;
using Selected = UploadPrivate::Selected;
using Musubi::detail::UploadTransfer;

namespace {
QJsonObject errorObject(const QString &code, const QString &message)
{
    return QJsonObject{{u"code"_s, code}, {u"message"_s, message}};
}

QString localPath(const QVariant &file)
{
    if (file.metaType().id() == QMetaType::QUrl)
        return file.toUrl().toLocalFile();
    const QString text = file.toString();
    if (text.startsWith("file:"_L1))
        return QUrl(text).toLocalFile();
    return text;
}
} // namespace

/*!
    Constructs the handle of the upload \a name of the store \a storeId, with
    \a parent.

    MusubiStoreTree creates the handles of the upload slots it holds and is their
    parent. The handle talks to the server through its tree's runtime: one without
    a tree applies ops, but select() fails with \c not_connected.
*/
MusubiUpload::MusubiUpload(const QStringList &storeId, const QString &name, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<UploadPrivate>())
{
    d->storeId = storeId;
    d->name = name;
    d->model = new MusubiUploadEntryModel(this);
    // The store tree keeps the handle across reconnects, but the server's upload state
    // dies with its page server: the runtime reports both through the tree
    // (connectionLost(), remounted()).
}

/*!
    Destroys the handle; its running transfers are deleted first and leave their
    sub-channels.
*/
MusubiUpload::~MusubiUpload()
{
    // Transfers are children; deleting them first leaves their sub-channels.
    const auto transfers = d->transfers;
    d->transfers.clear();
    qDeleteAll(transfers);
}

/*!
    Returns the store id as a list of strings.

    \sa storeId
*/
QStringList MusubiUpload::storeIdList() const
{
    return d->storeId;
}

QString MusubiUpload::name() const
{
    return d->name;
}

MusubiUpload::Status MusubiUpload::status() const
{
    return d->status;
}

QStringList MusubiUpload::accept() const
{
    return d->accept;
}

bool MusubiUpload::acceptsAny() const
{
    return d->accept.isEmpty();
}

int MusubiUpload::maxEntries() const
{
    return d->maxEntries;
}

qint64 MusubiUpload::maxFileSize() const
{
    return d->maxFileSize;
}

int MusubiUpload::chunkSize() const
{
    return d->chunkSize;
}

QJsonArray MusubiUpload::errors() const
{
    return d->errors;
}

QJsonArray MusubiUpload::rejected() const
{
    return d->rejected;
}

MusubiUploadEntryModel *MusubiUpload::entryModel() const
{
    return d->model;
}

/*!
    Returns the number of transfers started by start() that have not ended yet.
*/
int MusubiUpload::activeTransferCount() const
{
    return int(d->transfers.size());
}

QJsonArray MusubiUpload::storeIdJson() const
{
    return QJsonArray::fromStringList(d->storeId);
}

/*!
    Returns the tree that owns the handle (its parent), or \c nullptr.
*/
MusubiStoreTree *MusubiUpload::tree() const
{
    return qobject_cast<MusubiStoreTree *>(parent());
}

QString MusubiUpload::statusName() const
{
    // The enumerator's name in lower case: one list of words, the enum's own.
    return QString::fromLatin1(QMetaEnum::fromType<Status>().valueToKey(int(d->status))).toLower();
}

QJsonObject MusubiUpload::config() const
{
    return QJsonObject{
            {u"accept"_s,
             d->accept.isEmpty() ? QJsonValue(u"any"_s) : QJsonArray::fromStringList(d->accept)},
            {u"max_entries"_s, d->maxEntries},
            {u"max_file_size"_s, double(d->maxFileSize)},
            {u"chunk_size"_s, d->chunkSize}};
}

QVariantList MusubiUpload::entries() const
{
    QVariantList out;
    const QList<MusubiUploadEntry> all = d->model->entries();
    out.reserve(all.size());
    for (const MusubiUploadEntry &entry : all)
        out.append(entry.toMap());
    return out;
}

int MusubiUpload::progress() const
{
    return d->progress;
}

/*!
    Returns the MIME type sent for \a fileName, from its extension (\c a.png gives
    \c image/png); \c application/octet-stream when the extension is unknown.
*/
QString MusubiUpload::mimeTypeForFile(const QString &fileName)
{
    static const QMimeDatabase db;
    const QMimeType type = db.mimeTypeForFile(fileName, QMimeDatabase::MatchExtension);
    return type.isValid() && !type.isDefault() ? type.name() : u"application/octet-stream"_s;
}

// --- upload_ops (docs/protocol.md §8.2) ------------------------------------------

/*!
    Applies the upload op \a op (\c config, \c add, \c progress, \c complete,
    \c error, \c cancel or \c reset; docs/protocol.md §8.2) and returns \c true.
    Malformed or unknown ops are skipped with a warning (returns \c false), never an
    error. MusubiStoreTree calls it for the \c upload_ops of an envelope.
*/
bool MusubiUpload::applyOp(const QJsonObject &op)
{
    const QString kind = op.value("op"_L1).toString();
    const QJsonValue refValue = op.value("ref"_L1);
    const QString ref = refValue.toString();
    auto skip = [&](const char *why) {
        qCWarning(lcMusubiUpload).noquote()
                << "skipping upload op" << kind << "of" << d->name << ":" << why;
        return false;
    };

    if (kind == "config"_L1) {
        const QJsonObject config = op.value("config"_L1).toObject();
        const QJsonValue accept = config.value("accept"_L1);
        QStringList extensions;
        if (accept.isArray()) {
            const QJsonArray list = accept.toArray();
            for (const QJsonValue &value : list) {
                if (!value.isString())
                    return skip("accept is not a list of strings");
                extensions.append(value.toString());
            }
        } else if (accept != QJsonValue(u"any"_s)) {
            return skip("accept is neither \"any\" nor a list");
        }
        const QJsonValue maxEntries = config.value("max_entries"_L1);
        const QJsonValue maxFileSize = config.value("max_file_size"_L1);
        const QJsonValue chunkSize = config.value("chunk_size"_L1);
        if (!maxEntries.isDouble() || !maxFileSize.isDouble() || !chunkSize.isDouble())
            return skip("config numbers are missing");
        using Musubi::detail::jsonIntegerIn;
        constexpr qint64 intMax = std::numeric_limits<int>::max();
        const int newMaxEntries = int(jsonIntegerIn(maxEntries, 0, intMax));
        const qint64 newMaxFileSize = jsonIntegerIn(maxFileSize, 0, Musubi::detail::MaxJsonInteger);
        const int newChunkSize = int(jsonIntegerIn(chunkSize, 0, intMax));
        if (extensions != d->accept || newMaxEntries != d->maxEntries
            || newMaxFileSize != d->maxFileSize || newChunkSize != d->chunkSize) {
            d->accept = extensions;
            d->maxEntries = newMaxEntries;
            d->maxFileSize = newMaxFileSize;
            d->chunkSize = newChunkSize;
            Q_EMIT configChanged();
        }
        return true;
    }
    if (kind == "add"_L1) {
        MusubiUploadEntry entry;
        QJsonObject wire = op.value("entry"_L1).toObject();
        if (!wire.contains("ref"_L1))
            wire.insert(u"ref"_s, refValue);
        if (!MusubiUploadEntry::fromJson(wire, &entry))
            return skip("entry has no ref or an unknown status");
        const int before = d->model->entryAt(d->model->indexOfRef(entry.ref)).progress;
        d->model->upsert(entry); // wire progress/status/errors win (§8.2)
        if (entry.progress != before)
            Q_EMIT entryProgressChanged(entry.ref, entry.progress);
        entriesTouched();
        return true;
    }
    if (kind == "progress"_L1) {
        if (!refValue.isString() || !op.value("progress"_L1).isDouble())
            return skip("ref or progress missing");
        const int progress = Musubi::detail::jsonPercent(op.value("progress"_L1));
        // While this client sends the file, chunk replies run ahead of the
        // (reply-first, throttled) progress ops: a late op must not move the bar back.
        const int row = d->model->indexOfRef(ref);
        if (d->transfers.contains(ref) && row >= 0 && progress < d->model->entryAt(row).progress)
            return true;
        setEntryProgress(ref, progress);
        return true;
    }
    if (kind == "complete"_L1) {
        if (!refValue.isString())
            return skip("ref missing");
        setEntryProgress(ref, 100);
        return true;
    }
    if (kind == "error"_L1) {
        const QJsonObject error = op.value("error"_L1).toObject();
        const QJsonObject normalised = errorObject(error.value("code"_L1).toString(),
                                                   error.value("message"_L1).toString());
        if (refValue.isString()) {
            if (d->model->update(ref, [&](MusubiUploadEntry &entry) {
                    entry.status = MusubiUploadEntry::Status::Failed;
                    entry.errors.append(normalised);
                }))
                entriesTouched();
        } else {
            appendError(normalised);
        }
        return true;
    }
    if (kind == "cancel"_L1) {
        if (!refValue.isString())
            return skip("ref missing");
        // Cancel is a deletion, never a status (§8.2); a server-side cancel
        // also ends the local transfer.
        stopTransfer(ref);
        d->pending.erase(std::remove_if(d->pending.begin(), d->pending.end(),
                                        [&](const Pending &p) { return p.ref == ref; }),
                         d->pending.end());
        if (d->model->remove(ref))
            entriesTouched();
        return true;
    }
    if (kind == "reset"_L1) {
        d->pending.clear();
        d->model->clear();
        setErrors({}, d->rejected);
        entriesTouched();
        return true;
    }
    return skip("unknown op");
}

// --- selection and preflight (§8.4) -------------------------------------------

/*!
    \fn void MusubiUpload::select(const QVariant &files)

    Selects local files and sends the preflight: \a files is a list of paths or
    \c file: URLs, or one of them. Clears handle errors; status becomes \c Selecting,
    or \c Failed once the reply refused any file. preflightFinished() reports the
    outcome.

    A file that cannot be read is rejected at once (code \c not_readable) and not
    sent. Ignored, with a warning, while status() is \c Uploading.

    \sa selectFiles(), selectUrls(), start()
*/
void MusubiUpload::select(const QVariant &input)
{
    // From QML a JS array may arrive wrapped in a QJSValue.
    const QVariant files = input.metaType() == QMetaType::fromType<QJSValue>()
            ? input.value<QJSValue>().toVariant()
            : input;
    QStringList paths;
    if (files.canConvert<QVariantList>() && files.metaType().id() != QMetaType::QString
        && files.metaType().id() != QMetaType::QUrl) {
        const QVariantList list = files.toList();
        for (const QVariant &file : list)
            paths.append(localPath(file));
    } else if (files.isValid()) {
        paths.append(localPath(files));
    }
    selectFiles(paths);
}

/*!
    Selects the local files of the \c file: URLs \a urls and sends the preflight,
    as select().
*/
void MusubiUpload::selectUrls(const QList<QUrl> &urls)
{
    QStringList paths;
    for (const QUrl &url : urls)
        paths.append(url.toLocalFile());
    selectFiles(paths);
}

/*!
    Selects the local files at \a paths and sends the preflight, as select().
*/
void MusubiUpload::selectFiles(const QStringList &paths)
{
    if (d->status == Status::Uploading) {
        qCWarning(lcMusubiUpload) << "select() ignored while" << d->name << "is uploading";
        return;
    }
    const quint64 generation = ++d->generation;
    d->startAfterPreflight = false;
    d->selected.clear();
    QJsonArray wireEntries;
    QJsonArray rejected;
    QJsonArray errors;
    for (qsizetype i = 0; i < paths.size(); ++i) {
        const QFileInfo info(paths.at(i));
        Selected file{info.absoluteFilePath(), info.fileName(), info.size(),
                      mimeTypeForFile(info.fileName())};
        d->selected.append(file);
        const QString clientRef = QString::number(i);
        if (!info.isFile() || !info.isReadable()) {
            const QJsonObject error =
                    errorObject(u"not_readable"_s, u"cannot read file %1"_s.arg(paths.at(i)));
            errors.append(error);
            rejected.append(QJsonObject{{u"client_ref"_s, clientRef},
                                        {u"name"_s, file.name},
                                        {u"code"_s, error.value("code"_L1)},
                                        {u"message"_s, error.value("message"_L1)}});
            continue;
        }
        wireEntries.append(QJsonObject{{u"client_ref"_s, clientRef},
                                       {u"name"_s, file.name},
                                       {u"size"_s, double(file.size)},
                                       {u"type"_s, file.type}});
    }
    setStatus(Status::Selecting);
    setErrors(errors, rejected); // select() clears handle errors (§8.3)

    if (wireEntries.isEmpty()) {
        if (!rejected.isEmpty())
            setStatus(Status::Failed);
        Q_EMIT preflightFinished({}, d->rejected);
        return;
    }
    PhoenixPush *push = pushEvent(u"allow_upload"_s,
                                  QJsonObject{{u"store_id"_s, storeIdJson()},
                                              {u"name"_s, d->name},
                                              {u"entries"_s, wireEntries}});
    if (!push) {
        preflightFailed(u"not_connected"_s, u"the upload's root is not connected"_s);
        return;
    }
    d->awaitingPreflight = true;
    connect(push, &PhoenixPush::finished, this,
            [this, generation](PhoenixPush::Result result, const QJsonValue &response) {
                handlePreflightReply(generation, int(result), response);
            });
}

void MusubiUpload::handlePreflightReply(quint64 generation, int result, const QJsonValue &response)
{
    if (generation != d->generation)
        return; // a later select(), reset() or a dropped connection superseded this preflight
    d->awaitingPreflight = false;
    switch (PhoenixPush::Result(result)) {
    case PhoenixPush::Result::Ok:
        break;
    case PhoenixPush::Result::Error:
        preflightFailed(u"preflight_rejected"_s,
                        response.toObject().value("reason"_L1).toString(u"rejected"_s));
        return;
    case PhoenixPush::Result::Timeout:
        preflightFailed(u"timeout"_s, u"no reply to allow_upload in time"_s);
        return;
    case PhoenixPush::Result::Failed:
        // Sent but aborted (the socket went down) or never sent at all.
        preflightFailed(u"disconnected"_s, u"allow_upload got no reply: the connection dropped"_s);
        return;
    }
    const QJsonObject reply = response.toObject();
    if (reply.contains("config"_L1))
        applyOp(QJsonObject{{u"op"_s, u"config"_s}, {u"config"_s, reply.value("config"_L1)}});

    // Accepted entries are an object keyed by client_ref: order them by
    // numeric client_ref so they keep the selection order (§8.4).
    const QJsonObject accepted = reply.value("entries"_L1).toObject();
    QList<int> order;
    for (auto it = accepted.begin(); it != accepted.end(); ++it) {
        bool ok = false;
        const int index = it.key().toInt(&ok);
        if (ok && index >= 0 && index < d->selected.size())
            order.append(index);
        else
            qCWarning(lcMusubiUpload) << "preflight reply names unknown client_ref" << it.key();
    }
    std::sort(order.begin(), order.end());
    QJsonArray acceptedOut;
    for (int index : std::as_const(order)) {
        const QJsonObject info = accepted.value(QString::number(index)).toObject();
        const QString ref = info.value("entry_ref"_L1).toString();
        if (ref.isEmpty())
            continue;
        const Selected &file = d->selected.at(index);
        const QString mode = info.value("type"_L1).toString(u"channel"_s);
        // The add op may have landed first: then it stays as it is (one entry per ref).
        if (d->model->indexOfRef(ref) < 0) {
            MusubiUploadEntry entry;
            entry.ref = ref;
            entry.clientName = file.name;
            entry.clientSize = file.size;
            entry.clientType = file.type;
            d->model->upsert(entry);
        }
        d->pending.append(Pending{ref, file.path, mode, info.value("token"_L1).toString(),
                                  info.value("uploader"_L1).toString(),
                                  info.value("meta"_L1).toObject()});
        QJsonObject out{{u"client_ref"_s, QString::number(index)},
                        {u"ref"_s, ref},
                        {u"name"_s, file.name},
                        {u"mode"_s, mode}};
        if (mode == "external"_L1)
            out.insert(u"uploader"_s, info.value("uploader"_L1).toString());
        acceptedOut.append(out);
    }
    entriesTouched();

    QJsonArray errors = d->errors;
    QJsonArray rejected = d->rejected;
    const QJsonArray refused = reply.value("errors"_L1).toArray();
    for (const QJsonValue &value : refused) {
        const QJsonObject item = value.toObject();
        const QString clientRef = item.value("client_ref"_L1).toString();
        const QJsonObject error = item.value("error"_L1).toObject();
        const QJsonObject normalised = errorObject(error.value("code"_L1).toString(),
                                                   error.value("message"_L1).toString());
        errors.append(normalised);
        const int index = clientRef.toInt();
        rejected.append(QJsonObject{
                {u"client_ref"_s, clientRef},
                {u"name"_s,
                 index >= 0 && index < d->selected.size() ? d->selected.at(index).name : QString()},
                {u"code"_s, normalised.value("code"_L1)},
                {u"message"_s, normalised.value("message"_L1)}});
    }
    setErrors(errors, rejected);
    if (!rejected.isEmpty())
        setStatus(Status::Failed);
    Q_EMIT preflightFinished(acceptedOut, d->rejected);
    // A start() made during the preflight (unless a preflightFinished() slot already
    // started, selected again or reset).
    if (std::exchange(d->startAfterPreflight, false) && !d->pending.isEmpty())
        start();
}

void MusubiUpload::preflightFailed(const QString &code, const QString &message)
{
    d->awaitingPreflight = false;
    d->startAfterPreflight = false;
    qCInfo(lcMusubiUpload).noquote() << "preflight of" << d->name << "failed:" << code << message;
    QJsonArray errors = d->errors;
    errors.append(errorObject(code, message));
    setErrors(errors, d->rejected);
    setStatus(Status::Failed);
    Q_EMIT preflightFinished({}, d->rejected);
}

// --- transfers (§8.5-8.7) ---------------------------------------------------

/*!
    Transfers every accepted entry that has not been started; status becomes
    \c Uploading, then \c Succeeded or \c Failed when all settled (finished()).
    Called while the preflight of select() is still pending
    (\c{select(files); start()}), it starts the accepted entries as soon as the
    preflight is answered. Does nothing when nothing is selected or running.
*/
void MusubiUpload::start()
{
    if (d->awaitingPreflight && d->pending.isEmpty() && d->transfers.isEmpty()) {
        // select(); start(): nothing is accepted yet. Start once the preflight is answered.
        qCDebug(lcMusubiUpload) << "start() of" << d->name << "waits for the preflight reply";
        d->startAfterPreflight = true;
        return;
    }
    if (d->pending.isEmpty() && d->transfers.isEmpty()) {
        // E.g. a selection whose tokens died with the connection: claiming
        // success for an upload that sent nothing would hide that.
        qCInfo(lcMusubiUpload) << "start() of" << d->name << "has nothing to transfer";
        return;
    }
    const QList<Pending> pending = std::exchange(d->pending, {});
    d->started = true;
    d->anyTransferFailed = false;
    setStatus(Status::Uploading);
    for (const Pending &p : pending) {
        if (d->transfers.contains(p.ref) || d->model->indexOfRef(p.ref) < 0)
            continue;
        auto *transfer =
                new UploadTransfer(this, p.ref, p.filePath, p.mode, p.token, p.uploader, p.meta);
        d->transfers.insert(p.ref, transfer);
        connect(transfer, &UploadTransfer::ended, this,
                [this, transfer] { transferEnded(transfer); });
    }
    // Started after all are registered, so a transfer that ends at once
    // (no uploader) cannot settle the handle before the others exist.
    const auto transfers = d->transfers;
    for (UploadTransfer *transfer : transfers) {
        if (transfer->outcome() == UploadTransfer::Outcome::Running
            && d->transfers.contains(transfer->ref()))
            transfer->start();
    }
    entriesTouched();
    settleIfDone();
}

void MusubiUpload::transferEnded(UploadTransfer *transfer)
{
    if (d->transfers.value(transfer->ref()) == transfer)
        d->transfers.remove(transfer->ref());
    if (transfer->outcome() == UploadTransfer::Outcome::Failed) {
        d->anyTransferFailed = true;
        d->runErrors.append(transfer->error());
    }
    transfer->deleteLater();
    settleIfDone();
}

void MusubiUpload::settleIfDone()
{
    if (!d->started || !d->transfers.isEmpty() || d->status != Status::Uploading)
        return;
    d->started = false;
    const QList<MusubiUploadEntry> all = d->model->entries();
    const bool entryFailed = std::any_of(all.begin(), all.end(), [](const MusubiUploadEntry &e) {
        return e.status == MusubiUploadEntry::Status::Failed;
    });
    setStatus(d->anyTransferFailed || entryFailed ? Status::Failed : Status::Succeeded);
    const QJsonArray errors = std::exchange(d->runErrors, {});
    Q_EMIT finished(errors);
}

void MusubiUpload::stopTransfer(const QString &ref)
{
    if (UploadTransfer *transfer = d->transfers.value(ref))
        transfer->cancel(); // ends it: transferEnded() removes it
}

// --- cancel and reset (§8.8) ------------------------------------------------

/*!
    Cancels the entry \a ref, or every entry when \a ref is empty: stops its
    transfer, then sends \c cancel_upload for each, one after the other;
    cancelFinished() after the last reply. The server's \c cancel op deletes the
    entry (the entry is removed locally when the push fails or is refused).
*/
void MusubiUpload::cancel(const QString &ref)
{
    QStringList targets;
    if (!ref.isEmpty()) {
        targets.append(ref);
    } else {
        const QList<MusubiUploadEntry> all = d->model->entries();
        for (const MusubiUploadEntry &entry : all)
            targets.append(entry.ref);
        for (const Pending &p : std::as_const(d->pending)) {
            if (!targets.contains(p.ref))
                targets.append(p.ref);
        }
    }
    for (const QString &target : std::as_const(targets)) {
        stopTransfer(target);
        d->pending.erase(std::remove_if(d->pending.begin(), d->pending.end(),
                                        [&](const Pending &p) { return p.ref == target; }),
                         d->pending.end());
        if (!d->cancelQueue.contains(target))
            d->cancelQueue.append(target);
    }
    if (!d->cancelling)
        sendNextCancel();
}

void MusubiUpload::sendNextCancel()
{
    if (d->cancelQueue.isEmpty()) {
        d->cancelling = false;
        Q_EMIT cancelFinished();
        return;
    }
    d->cancelling = true;
    const QString ref = d->cancelQueue.takeFirst();
    PhoenixPush *push = pushEvent(
            u"cancel_upload"_s,
            QJsonObject{{u"store_id"_s, storeIdJson()}, {u"name"_s, d->name}, {u"ref"_s, ref}});
    if (!push) {
        // Nobody will send the cancel op: delete the entry here.
        if (d->model->remove(ref))
            entriesTouched();
        sendNextCancel();
        return;
    }
    // One at a time, each after the previous reply (§8.8).
    connect(push, &PhoenixPush::finished, this, [this, ref](PhoenixPush::Result result) {
        if (result != PhoenixPush::Result::Ok && d->model->remove(ref)) {
            // No cancel op will delete the entry (the socket dropped, or the
            // server refused): the cancel still stands locally.
            qCInfo(lcMusubiUpload).noquote() << "cancel_upload of" << d->name << ref << "ended"
                                             << result << "- removing the entry locally";
            entriesTouched();
        }
        sendNextCancel();
    });
}

/*!
    Cancels everything (as cancel()), clears entries and errors and drops a pending
    preflight; status becomes \c Idle.
*/
void MusubiUpload::reset()
{
    ++d->generation;
    d->awaitingPreflight = false;
    d->startAfterPreflight = false;
    d->staleRefs.clear();
    cancel();
    d->pending.clear();
    d->selected.clear();
    d->model->clear();
    setErrors({}, {});
    entriesTouched();
    d->started = false;
    setStatus(Status::Idle);
}

// --- reconnect (§12) ---------------------------------------------------------

void MusubiUpload::connectionLost()
{
    // Uploads are not resumable: whatever was in flight ends here, with a
    // defined outcome, instead of waiting for replies that cannot come.
    bool reported = false;
    if (d->awaitingPreflight) {
        ++d->generation; // the push fails later; this is its report
        preflightFailed(u"disconnected"_s,
                        u"the connection dropped before allow_upload was answered"_s);
        reported = true;
    }
    const QJsonObject lost = errorObject(u"disconnected"_s, u"the connection dropped"_s);
    const QList<Pending> pending = std::exchange(d->pending, {});
    for (const Pending &p : pending) {
        // Its token names a page server that is gone: it cannot be started.
        updateEntry(p.ref, [&](MusubiUploadEntry &entry) {
            entry.status = MusubiUploadEntry::Status::Failed;
            entry.errors.append(
                    errorObject(u"disconnected"_s, u"the connection dropped before start()"_s));
        });
    }
    const auto transfers = d->transfers.values();
    for (UploadTransfer *transfer : transfers)
        transfer->abort(u"disconnected"_s, u"the connection dropped during the transfer"_s);
    // Entries nobody will move any more (e.g. an add op that beat a lost reply).
    const QList<MusubiUploadEntry> all = d->model->entries();
    bool stuck = false;
    for (const MusubiUploadEntry &entry : all) {
        if ((entry.status == MusubiUploadEntry::Status::Pending
             || entry.status == MusubiUploadEntry::Status::Uploading)
            && !d->cancelQueue.contains(entry.ref)) {
            stuck = true;
            updateEntry(entry.ref, [&](MusubiUploadEntry &e) {
                e.status = MusubiUploadEntry::Status::Failed;
                e.errors.append(lost);
            });
        }
    }
    if (!reported && (!pending.isEmpty() || !transfers.isEmpty() || stuck))
        appendError(lost);
    if (d->status == Status::Selecting && (!pending.isEmpty() || stuck))
        setStatus(Status::Failed);
    d->staleRefs.clear();
    for (const MusubiUploadEntry &entry : all)
        d->staleRefs.append(entry.ref);
    if (reported || !pending.isEmpty() || !transfers.isEmpty() || stuck)
        qCInfo(lcMusubiUpload).noquote()
                << "connection of" << d->name << "dropped:" << pending.size() << "selected and"
                << transfers.size() << "running transfers failed";
}

void MusubiUpload::remounted()
{
    const QStringList stale = std::exchange(d->staleRefs, {});
    qsizetype removed = 0;
    for (const QString &ref : stale)
        removed += d->model->remove(ref) ? 1 : 0;
    if (removed == 0)
        return;
    // The new page server knows none of them: they could be neither
    // finished, cancelled nor consumed. Status and errors() keep the outcome.
    qCInfo(lcMusubiUpload).noquote()
            << "dropped" << removed << "entries of" << d->name << "the new server does not know";
    entriesTouched();
}

// --- helpers ----------------------------------------------------------------

void MusubiUpload::setStatus(Status status)
{
    if (status == d->status)
        return;
    const Status old = std::exchange(d->status, status);
    Q_EMIT statusChanged(status, old);
}

void MusubiUpload::setErrors(const QJsonArray &errors, const QJsonArray &rejected)
{
    if (errors == d->errors && rejected == d->rejected)
        return;
    d->errors = errors;
    d->rejected = rejected;
    Q_EMIT errorsChanged();
}

void MusubiUpload::appendError(const QJsonObject &error)
{
    QJsonArray errors = d->errors;
    errors.append(error);
    setErrors(errors, d->rejected);
}

void MusubiUpload::entriesTouched()
{
    const QList<MusubiUploadEntry> all = d->model->entries();
    qint64 sum = 0;
    for (const MusubiUploadEntry &entry : all)
        sum += entry.progress;
    const qint64 n = all.size();
    // Mean rounded half up, in integers: floor(sum / n + 1/2).
    const int progress = n == 0 ? 0 : int((2 * sum + n) / (2 * n));
    Q_EMIT entriesChanged();
    if (progress != d->progress) {
        d->progress = progress;
        Q_EMIT progressChanged(progress);
    }
}

bool MusubiUpload::updateEntry(const QString &ref,
                               const std::function<void(MusubiUploadEntry &)> &mutate)
{
    if (!d->model->update(ref, mutate))
        return false;
    entriesTouched();
    return true;
}

void MusubiUpload::setEntryProgress(const QString &ref, int progress)
{
    progress = qBound(0, progress, 100);
    int before = -1;
    const bool known = d->model->update(ref, [&](MusubiUploadEntry &entry) {
        before = entry.progress;
        entry.progress = progress;
        entry.status = progress >= 100 ? MusubiUploadEntry::Status::Succeeded
                                       : MusubiUploadEntry::Status::Uploading;
    });
    if (!known)
        return; // unknown refs are ignored (§8.2)
    if (before != progress)
        Q_EMIT entryProgressChanged(ref, progress);
    entriesTouched();
}

PhoenixPush *MusubiUpload::pushEvent(const QString &event, const QJsonObject &payload)
{
    UploadHost *uploads = host();
    return uploads ? uploads->pushRootEvent(event, payload) : nullptr;
}

UploadHost *MusubiUpload::host() const
{
    const MusubiStoreTree *owner = tree();
    return owner ? StoreTreePrivate::get(owner)->uploadHost : nullptr;
}
