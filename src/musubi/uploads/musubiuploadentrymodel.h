// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QAbstractListModel>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QVariantMap>

#include <functional>
#include <optional>

class MusubiUpload;

struct MUSUBI_CORE_EXPORT MusubiUploadEntry
{
    Q_GADGET
public:
    enum class Status { Pending, Uploading, Succeeded, Failed, Cancelled };
    Q_ENUM(Status)

    QString ref;
    QString clientName;
    qint64 clientSize = 0;
    QString clientType;
    int progress = 0;
    Status status = Status::Pending;
    QJsonArray errors;

    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject &json, MusubiUploadEntry *out);
    QVariantMap toMap() const;
    QString errorString() const;

    static QString wireStatus(Status status);
    static std::optional<Status> statusFromWire(QStringView wire);
    static QString statusName(Status status);

    friend bool operator==(const MusubiUploadEntry &, const MusubiUploadEntry &) = default;
};

class MUSUBI_CORE_EXPORT MusubiUploadEntryModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        RefRole = Qt::UserRole + 1,
        ClientNameRole,
        ClientSizeRole,
        ClientTypeRole,
        ProgressRole,
        StatusRole,
        ErrorsRole,
        ErrorStringRole,
    };
    Q_ENUM(Role)

    explicit MusubiUploadEntryModel(QObject *parent = nullptr);
    ~MusubiUploadEntryModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_entries.size()); }
    MusubiUploadEntry entryAt(int row) const { return m_entries.value(row); }
    Q_INVOKABLE int indexOfRef(const QString &ref) const;
    Q_INVOKABLE QVariantMap get(const QString &ref) const;
    QList<MusubiUploadEntry> entries() const { return m_entries; }
    QJsonArray toJson() const;

Q_SIGNALS:
    void countChanged();

private:
    friend class MusubiUpload;
    // The single place where rows change (begin/end pairs live here only).
    // Inserts entry at the end, or updates the entry with its ref in place.
    void upsert(const MusubiUploadEntry &entry);
    // Applies mutate to entry ref; returns false when there is no such entry.
    bool update(const QString &ref, const std::function<void(MusubiUploadEntry &)> &mutate);
    bool remove(const QString &ref);
    void clear();
    void emitRowChanged(int row, const MusubiUploadEntry &before);

    QList<MusubiUploadEntry> m_entries;
};
