// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiuploadentrymodel.h"

#include <QtCore/QMetaEnum>

#include "musubijson_p.h"

using namespace Qt::StringLiterals;

/*!
    \class MusubiUploadEntry
    \inmodule MusubiCore
    \inheaderfile musubiuploadentrymodel.h
    \brief One file of an upload handle, as the server and the client know it.

    See docs/protocol.md §8.2. The fields follow the wire \c entry object:
    \c ref, \c client_name, \c client_size, \c client_type, \c progress
    (0–100), \c status and \c errors (\c{[{code, message}]}).

    The status is the Status enum; the wire strings (\c pending,
    \c uploading, \c success, \c error, \c cancelled) appear only in
    toJson() and fromJson() (wireStatus(), statusFromWire()). QML reads the
    enum as \c{MusubiUploadEntry.Failed} and so on.

    Entries are values: MusubiUploadEntryModel holds them and MusubiUpload changes them.

    \sa MusubiUploadEntryModel, MusubiUpload
*/

/*!
    \enum MusubiUploadEntry::Status

    The status of one file; wireStatus() gives its wire string.

    \value Pending Accepted by the preflight, not transferred yet (wire \c pending).
    \value Uploading Being transferred (wire \c uploading).
    \value Succeeded Transferred completely (wire \c success).
    \value Failed Refused or failed; \c errors says why (wire \c error).
    \value Cancelled Reserved by the protocol, never assigned by the client or the
           server (wire \c cancelled); a cancel deletes the entry.
*/

/*!
    \variable MusubiUploadEntry::ref
    \brief The server's reference of the entry (wire \c ref); never empty.
*/

/*!
    \variable MusubiUploadEntry::clientName
    \brief The file name the client announced (wire \c client_name).
*/

/*!
    \variable MusubiUploadEntry::clientSize
    \brief The file size in bytes the client announced (wire \c client_size).
*/

/*!
    \variable MusubiUploadEntry::clientType
    \brief The MIME type the client announced (wire \c client_type).
*/

/*!
    \variable MusubiUploadEntry::progress
    \brief The progress of the transfer, 0 to 100.
*/

/*!
    \variable MusubiUploadEntry::status
    \brief The status of the entry; \c Pending by default.
*/

/*!
    \variable MusubiUploadEntry::errors
    \brief Why the entry failed, \c{[{code, message}]}, oldest first.
*/

/*!
    \class MusubiUploadEntryModel
    \inmodule MusubiCore
    \inheaderfile musubiuploadentrymodel.h
    \brief The entries of one MusubiUpload as a read-only list model, in insertion order.

    Roles: \c ref, \c clientName, \c clientSize, \c clientType, \c progress
    (0–100), \c status (MusubiUploadEntry::Status; in QML compare with
    \c{MusubiUploadEntry.Failed} etc.), \c errors (list of \c{{code, message}})
    and \c errorString (the last error's message, empty if none).

    Every change is a row-level signal (rowsInserted, rowsRemoved,
    dataChanged with the roles that changed); the model is never reset. Only
    MusubiUpload changes it.

    \sa MusubiUpload
*/

/*!
    \enum MusubiUploadEntryModel::Role

    The roles of the model besides Qt::DisplayRole (which is the client name); the
    role names are in parentheses.

    \value RefRole The entry's ref (\c ref).
    \value ClientNameRole The file name (\c clientName).
    \value ClientSizeRole The file size in bytes (\c clientSize).
    \value ClientTypeRole The MIME type (\c clientType).
    \value ProgressRole The progress, 0 to 100 (\c progress).
    \value StatusRole The MusubiUploadEntry::Status (\c status).
    \value ErrorsRole The errors, a list of \c{{code, message}} (\c errors).
    \value ErrorStringRole The message of the last error, empty if none (\c errorString).
*/

/*!
    \property MusubiUploadEntryModel::count
    \brief the number of entries.
*/

/*!
    \fn MusubiUploadEntry MusubiUploadEntryModel::entryAt(int row) const

    Returns the entry at \a row, or a default entry when \a row is out of range.
*/

/*!
    \fn QList<MusubiUploadEntry> MusubiUploadEntryModel::entries() const

    Returns every entry, in order.
*/

// The one place where entry statuses meet their wire strings (docs/protocol.md §8.2).
/*!
    Returns the wire string of \a status (\c success for Succeeded, \c error for Failed).

    \sa statusFromWire()
*/
QString MusubiUploadEntry::wireStatus(Status status)
{
    switch (status) {
    case Status::Pending:
        return u"pending"_s;
    case Status::Uploading:
        return u"uploading"_s;
    case Status::Succeeded:
        return u"success"_s;
    case Status::Failed:
        return u"error"_s;
    case Status::Cancelled:
        return u"cancelled"_s;
    }
    return QString();
}

/*!
    Returns the status of the wire string \a wire, or \c std::nullopt when it is not
    one of the five known strings.

    \sa wireStatus()
*/
std::optional<MusubiUploadEntry::Status> MusubiUploadEntry::statusFromWire(QStringView wire)
{
    if (wire == "pending"_L1)
        return Status::Pending;
    if (wire == "uploading"_L1)
        return Status::Uploading;
    if (wire == "success"_L1)
        return Status::Succeeded;
    if (wire == "error"_L1)
        return Status::Failed;
    if (wire == "cancelled"_L1)
        return Status::Cancelled;
    return std::nullopt;
}

/*!
    Returns the lower-case name of \a status (\c pending, \c uploading,
    \c succeeded, \c failed, \c cancelled), as musubi-cli prints it.
*/
QString MusubiUploadEntry::statusName(Status status)
{
    // The enumerator's name in lower case: one list of words, the enum's own.
    return QString::fromLatin1(QMetaEnum::fromType<Status>().valueToKey(int(status))).toLower();
}

/*!
    Returns the message of the last error, empty if none.
*/
QString MusubiUploadEntry::errorString() const
{
    return errors.isEmpty() ? QString() : errors.last().toObject().value("message"_L1).toString();
}

/*!
    Returns the entry as the model's roles see it: \c{{ref, clientName, clientSize,
    clientType, progress, status, errors, errorString}}, \c status as the enum. This is
    the map of \l [CPP] {MusubiUploadEntryModel::get()} and of MusubiUpload::entries.

    \sa toJson()
*/
QVariantMap MusubiUploadEntry::toMap() const
{
    return QVariantMap{{u"ref"_s, ref},
                       {u"clientName"_s, clientName},
                       {u"clientSize"_s, clientSize},
                       {u"clientType"_s, clientType},
                       {u"progress"_s, progress},
                       {u"status"_s, QVariant::fromValue(status)},
                       {u"errors"_s, errors.toVariantList()},
                       {u"errorString"_s, errorString()}};
}

/*!
    Returns the wire shape: \c{{ref, client_name, client_size, client_type, progress,
    status, errors}} with \c status as its wire string.

    \sa fromJson(), toMap()
*/
QJsonObject MusubiUploadEntry::toJson() const
{
    return QJsonObject{{u"ref"_s, ref},
                       {u"client_name"_s, clientName},
                       {u"client_size"_s, double(clientSize)},
                       {u"client_type"_s, clientType},
                       {u"progress"_s, progress},
                       {u"status"_s, wireStatus(status)},
                       {u"errors"_s, errors}};
}

/*!
    Reads the wire \c entry object \a json into \a out and returns \c true.

    Returns \c false (and leaves \a out alone) when \c ref is missing or empty, or
    \c status is not one of the five wire strings. A missing \c status reads as
    \c pending.

    \sa toJson()
*/
bool MusubiUploadEntry::fromJson(const QJsonObject &json, MusubiUploadEntry *out)
{
    const QJsonValue ref = json.value("ref"_L1);
    if (!ref.isString() || ref.toString().isEmpty())
        return false;
    const std::optional<Status> status =
            statusFromWire(json.value("status"_L1).toString(u"pending"_s));
    if (!status)
        return false;
    MusubiUploadEntry entry;
    entry.ref = ref.toString();
    entry.clientName = json.value("client_name"_L1).toString();
    entry.clientSize = Musubi::detail::jsonIntegerOr(json.value("client_size"_L1));
    entry.clientType = json.value("client_type"_L1).toString();
    entry.progress = Musubi::detail::jsonPercent(json.value("progress"_L1));
    entry.status = *status;
    entry.errors = json.value("errors"_L1).toArray();
    *out = entry;
    return true;
}

/*!
    Constructs an empty model with \a parent. MusubiUpload creates its own; only it
    fills the model.
*/
MusubiUploadEntryModel::MusubiUploadEntryModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

/*!
    Destroys the model.
*/
MusubiUploadEntryModel::~MusubiUploadEntryModel() = default;

int MusubiUploadEntryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant MusubiUploadEntryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MusubiUploadEntry &entry = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case ClientNameRole:
        return entry.clientName;
    case RefRole:
        return entry.ref;
    case ClientSizeRole:
        return entry.clientSize;
    case ClientTypeRole:
        return entry.clientType;
    case ProgressRole:
        return entry.progress;
    case StatusRole:
        return QVariant::fromValue(entry.status);
    case ErrorsRole:
        return entry.errors.toVariantList();
    case ErrorStringRole:
        return entry.errorString();
    default:
        return {};
    }
}

QHash<int, QByteArray> MusubiUploadEntryModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"},    {RefRole, "ref"},
            {ClientNameRole, "clientName"},  {ClientSizeRole, "clientSize"},
            {ClientTypeRole, "clientType"},  {ProgressRole, "progress"},
            {StatusRole, "status"},          {ErrorsRole, "errors"},
            {ErrorStringRole, "errorString"}};
}

/*!
    Returns the row of the entry \a ref, or -1 if there is none.
*/
int MusubiUploadEntryModel::indexOfRef(const QString &ref) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).ref == ref)
            return int(i);
    }
    return -1;
}

/*!
    Returns the entry \a ref with the role names as keys (MusubiUploadEntry::toMap()),
    or an empty map if there is none.
*/
QVariantMap MusubiUploadEntryModel::get(const QString &ref) const
{
    const int row = indexOfRef(ref);
    return row < 0 ? QVariantMap() : m_entries.at(row).toMap();
}

/*!
    Returns every entry's wire object (MusubiUploadEntry::toJson()), in order.
*/
QJsonArray MusubiUploadEntryModel::toJson() const
{
    QJsonArray out;
    for (const MusubiUploadEntry &entry : m_entries)
        out.append(entry.toJson());
    return out;
}

void MusubiUploadEntryModel::upsert(const MusubiUploadEntry &entry)
{
    const int row = indexOfRef(entry.ref);
    if (row >= 0) {
        // An existing entry keeps its position (docs/protocol.md §8.2, add = upsert).
        const MusubiUploadEntry before = m_entries.at(row);
        m_entries[row] = entry;
        emitRowChanged(row, before);
        return;
    }
    const int at = int(m_entries.size());
    beginInsertRows(QModelIndex(), at, at);
    m_entries.append(entry);
    endInsertRows();
    Q_EMIT countChanged();
}

bool MusubiUploadEntryModel::update(const QString &ref,
                                    const std::function<void(MusubiUploadEntry &)> &mutate)
{
    const int row = indexOfRef(ref);
    if (row < 0)
        return false;
    const MusubiUploadEntry before = m_entries.at(row);
    mutate(m_entries[row]);
    emitRowChanged(row, before);
    return true;
}

bool MusubiUploadEntryModel::remove(const QString &ref)
{
    const int row = indexOfRef(ref);
    if (row < 0)
        return false;
    beginRemoveRows(QModelIndex(), row, row);
    m_entries.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    return true;
}

void MusubiUploadEntryModel::clear()
{
    if (m_entries.isEmpty())
        return;
    // Row removal, not a model reset: views animate and keep their state.
    beginRemoveRows(QModelIndex(), 0, int(m_entries.size()) - 1);
    m_entries.clear();
    endRemoveRows();
    Q_EMIT countChanged();
}

void MusubiUploadEntryModel::emitRowChanged(int row, const MusubiUploadEntry &before)
{
    const MusubiUploadEntry &after = m_entries.at(row);
    QList<int> roles;
    if (before.ref != after.ref)
        roles << RefRole;
    if (before.clientName != after.clientName)
        roles << Qt::DisplayRole << ClientNameRole;
    if (before.clientSize != after.clientSize)
        roles << ClientSizeRole;
    if (before.clientType != after.clientType)
        roles << ClientTypeRole;
    if (before.progress != after.progress)
        roles << ProgressRole;
    if (before.status != after.status)
        roles << StatusRole;
    if (before.errors != after.errors)
        roles << ErrorsRole << ErrorStringRole;
    if (roles.isEmpty())
        return;
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at, roles);
}
