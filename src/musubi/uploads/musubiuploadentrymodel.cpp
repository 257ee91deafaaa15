// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiuploadentrymodel.h"

#include "musubijson_p.h"

using namespace Qt::StringLiterals;

// The one place where entry statuses meet their wire strings (docs/protocol.md §8.2).
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

QString MusubiUploadEntry::statusName(Status status)
{
    switch (status) {
    case Status::Pending:
        return u"pending"_s;
    case Status::Uploading:
        return u"uploading"_s;
    case Status::Succeeded:
        return u"succeeded"_s;
    case Status::Failed:
        return u"failed"_s;
    case Status::Cancelled:
        return u"cancelled"_s;
    }
    return QString();
}

QString MusubiUploadEntry::errorString() const
{
    return errors.isEmpty() ? QString() : errors.last().toObject().value("message"_L1).toString();
}

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

MusubiUploadEntryModel::MusubiUploadEntryModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

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

int MusubiUploadEntryModel::indexOfRef(const QString &ref) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).ref == ref)
            return int(i);
    }
    return -1;
}

QVariantMap MusubiUploadEntryModel::get(const QString &ref) const
{
    const int row = indexOfRef(ref);
    return row < 0 ? QVariantMap() : m_entries.at(row).toMap();
}

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
