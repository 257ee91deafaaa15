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
    enum class Status { Idle, Selecting, Uploading, Succeeded, Failed };
    Q_ENUM(Status)

    MusubiUpload(const QStringList &storeId, const QString &name, QObject *parent = nullptr);
    ~MusubiUpload() override;

    QJsonArray storeIdJson() const;
    QStringList storeIdList() const;
    QString name() const;
    MusubiStoreTree *tree() const;

    Status status() const;
    QString statusName() const;

    QJsonObject config() const;
    QStringList accept() const;
    bool acceptsAny() const;
    int maxEntries() const;
    qint64 maxFileSize() const;
    int chunkSize() const;

    QJsonArray errors() const;
    QJsonArray rejected() const;
    QVariantList entries() const;
    MusubiUploadEntryModel *entryModel() const;
    int progress() const;
    int activeTransferCount() const;

    bool applyOp(const QJsonObject &op);

    static QString mimeTypeForFile(const QString &fileName);

public Q_SLOTS:
    void select(const QVariant &files);
    void selectFiles(const QStringList &paths);
    void selectUrls(const QList<QUrl> &urls);
    void start();
    void cancel(const QString &ref = QString());
    void reset();

Q_SIGNALS:
    void statusChanged(MusubiUpload::Status status, MusubiUpload::Status oldStatus);
    void configChanged();
    void errorsChanged();
    void entriesChanged();
    void progressChanged(int progress);
    void entryProgressChanged(const QString &ref, int progress);
    void preflightFinished(const QJsonArray &accepted, const QJsonArray &rejected);
    void finished(const QJsonArray &errors);
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
    // What the runtime lends uploads (pushes, sub-channels, uploaders), or nullptr.
    Musubi::detail::UploadHost *host() const;

    std::unique_ptr<Musubi::detail::UploadPrivate> d;
};
